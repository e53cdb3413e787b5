"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createProject } from "@minilab/core";
import { getDb } from "@minilab/db";
import { formValues, zodFormState, type FormState } from "../../../lib/form-state";
import { appErrorFormState } from "../../../server/form-errors";
import { requireUser } from "../../../server/session";

const NewProject = z.object({
  name: z.string().trim().min(1, "Enter a project name").max(255, "Name is too long"),
  path: z.string().trim().max(255, "Path is too long"),
  description: z.string().trim().max(2000, "Description is too long"),
  visibility: z.enum(["private", "internal", "public"], "Choose a visibility level"),
});

export async function createProjectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser("/projects/new");
  const values = formValues(form, ["name", "path", "description", "visibility"]);
  const parsed = NewProject.safeParse(values);
  if (!parsed.success) return zodFormState(parsed.error, values);
  const { name, path, description, visibility } = parsed.data;
  let target: string;
  try {
    const project = await createProject({
      db: getDb(),
      owner: user,
      name,
      ...(path ? { path } : {}),
      description,
      visibility,
    });
    target = `/${project.namespace}/${project.path}`;
  } catch (e) {
    return appErrorFormState(e, values);
  }
  redirect(target);
}
