"use server";
/** Deleting an image tag from the Container registry page (maintainer+; checked in core). */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { deleteRegistryTag, findProject, isAppError } from "@minilab/core";
import { getDb } from "@minilab/db";
import { formText } from "../../../../../server/form-fields";
import { requireUser } from "../../../../../server/session";

export async function deleteTagAction(form: FormData): Promise<void> {
  const ref = `${formText(form, "namespace")}/${formText(form, "project")}`;
  const back = `/${ref}/-/container_registry`;
  const user = await requireUser(back);
  const db = getDb();
  const project = await findProject({ db, ref });
  if (!project) redirect(`${back}?error=${encodeURIComponent("project not found")}`);
  const tagId = Number(formText(form, "tag"));
  let target: string;
  try {
    await deleteRegistryTag({ db, user, project, tagId: Number.isSafeInteger(tagId) ? tagId : 0 });
    revalidatePath(back);
    target = `${back}?notice=${encodeURIComponent(`Tag ${formText(form, "name")} deleted`)}`;
  } catch (e) {
    if (!isAppError(e)) throw e;
    target = `${back}?error=${encodeURIComponent(e.message)}`;
  }
  redirect(target);
}
