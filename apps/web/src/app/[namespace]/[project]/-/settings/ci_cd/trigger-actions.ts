"use server";
/**
 * Pipeline trigger token forms. Creating answers the new token to the form (shown once, never in a
 * URL); revoking redirects back with a notice. The core use-cases check maintainer+.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createTrigger, findProject, isAppError, revokeTrigger } from "@minilab/core";
import { getDb } from "@minilab/db";
import type { FormState } from "../../../../../../lib/form-state";
import { appErrorFormState } from "../../../../../../server/form-errors";
import { formText } from "../../../../../../server/form-fields";
import { requireUser } from "../../../../../../server/session";

export interface TriggerFormState extends FormState {
  created?: { description: string; token: string };
}

export async function createTriggerAction(
  _prev: TriggerFormState,
  form: FormData,
): Promise<TriggerFormState> {
  const ns = formText(form, "namespace");
  const path = formText(form, "project");
  const back = `/${ns}/${path}/-/settings/ci_cd`;
  const actor = await requireUser(back);
  const db = getDb();
  const project = await findProject({ db, ref: `${ns}/${path}` });
  const description = formText(form, "description");
  if (!project) return { error: "Project not found" };
  try {
    const { token } = await createTrigger({ db, actor, project, description });
    revalidatePath(back);
    return { created: { description, token } };
  } catch (e) {
    return appErrorFormState(e, { description });
  }
}

export async function revokeTriggerAction(form: FormData): Promise<void> {
  const ns = formText(form, "namespace");
  const path = formText(form, "project");
  const back = `/${ns}/${path}/-/settings/ci_cd`;
  const actor = await requireUser(back);
  const db = getDb();
  const project = await findProject({ db, ref: `${ns}/${path}` });
  let target = `${back}?notice=${encodeURIComponent("Trigger token revoked.")}#triggers`;
  try {
    if (!project) throw new Error("project not found");
    await revokeTrigger({ db, actor, project, id: Number(formText(form, "id")) });
    revalidatePath(back);
  } catch (e) {
    if (!isAppError(e) && !(e instanceof Error && e.message === "project not found")) throw e;
    target = `${back}?error=${encodeURIComponent(e.message)}#triggers`;
  }
  redirect(target);
}
