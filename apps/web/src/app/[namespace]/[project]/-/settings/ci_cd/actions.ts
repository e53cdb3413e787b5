"use server";
/**
 * CI/CD variable forms. Transport adapters: read the form → one core use-case (which checks the
 * caller is maintainer+) → redirect back with a notice or the AppError's message. Works without
 * JavaScript. An empty value on edit keeps the stored one (the form never echoes a secret).
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  createProjectVariable,
  deleteProjectVariable,
  findProject,
  isAppError,
  listProjectVariables,
  updateProjectVariable,
} from "@minilab/core";
import { getDb, type Db, type Project, type User } from "@minilab/db";
import { formText } from "../../../../../../server/form-fields";
import { currentUser, requireUser } from "../../../../../../server/session";

const flag = (form: FormData, key: string) => form.get(key) === "on";

async function variablesAction(
  form: FormData,
  fn: (ctx: { db: Db; actor: User; project: Project }) => Promise<string>,
): Promise<never> {
  const base = `/${formText(form, "namespace")}/${formText(form, "project")}`;
  const back = `${base}/-/settings/ci_cd`;
  const actor = await requireUser(back);
  const db = getDb();
  const project = await findProject({
    db,
    ref: `${formText(form, "namespace")}/${formText(form, "project")}`,
  });
  if (!project) redirect(`${back}?error=${encodeURIComponent("project not found")}`);
  let target: string;
  try {
    const notice = await fn({ db, actor, project });
    revalidatePath(back);
    target = `${back}?notice=${encodeURIComponent(notice)}`;
  } catch (e) {
    if (!isAppError(e)) throw e;
    target = `${back}?error=${encodeURIComponent(e.message)}`;
  }
  redirect(target);
}

export async function createVariableAction(form: FormData): Promise<void> {
  await variablesAction(form, async (ctx) => {
    const v = await createProjectVariable({
      ...ctx,
      variable: {
        key: formText(form, "key").trim(),
        value: formText(form, "value"),
        masked: flag(form, "masked"),
        protected: flag(form, "protected"),
      },
    });
    return `Variable ${v.key} added.`;
  });
}

export async function updateVariableAction(form: FormData): Promise<void> {
  await variablesAction(form, async (ctx) => {
    const value = formText(form, "value");
    const v = await updateProjectVariable({
      ...ctx,
      id: Number(formText(form, "id")),
      variable: {
        key: formText(form, "key").trim(),
        value: value === "" ? undefined : value,
        masked: flag(form, "masked"),
        protected: flag(form, "protected"),
      },
    });
    return `Variable ${v.key} updated.`;
  });
}

export async function deleteVariableAction(form: FormData): Promise<void> {
  await variablesAction(form, async (ctx) => {
    await deleteProjectVariable({ ...ctx, id: Number(formText(form, "id")) });
    return `Variable ${formText(form, "key")} deleted.`;
  });
}

/** The value of one variable, for the Reveal button (maintainer+, as the list). */
export async function revealVariableAction(namespace: string, path: string, id: number): Promise<string> {
  const db = getDb();
  const project = await findProject({ db, ref: `${namespace}/${path}` });
  if (!project) return "";
  try {
    const vars = await listProjectVariables({ db, actor: await currentUser(), project });
    return vars.find((v) => v.id === id)?.value ?? "";
  } catch (e) {
    if (isAppError(e)) return "";
    throw e;
  }
}
