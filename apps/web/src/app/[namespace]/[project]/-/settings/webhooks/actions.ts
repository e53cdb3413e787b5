"use server";
/**
 * Webhook forms: create/update (answer the form its error, keep its values), delete, re-enable,
 * send a test event and redeliver (redirect back with the outcome). The core use-cases check
 * maintainer+ and the SSRF guard.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  createHook,
  deleteHook,
  enableHook,
  isAppError,
  redeliverHook,
  testHook,
  updateHook,
  type DeliveryOutcome,
  type HookInput,
} from "@minilab/core";
import type { FormState } from "../../../../../../lib/form-state";
import { appErrorFormState } from "../../../../../../server/form-errors";
import { formText, projectFormContext } from "../../../../../../server/form-fields";

const context = (form: FormData) => projectFormContext(form, "settings/webhooks");

function hookInput(form: FormData, editing: boolean): HookInput {
  const token = formText(form, "token");
  return {
    url: formText(form, "url").trim(),
    // On edit an empty field keeps the stored secret (the form never shows it); "clear_token" removes it.
    ...(editing && token === "" ? (form.get("clear_token") === "on" ? { token: "" } : {}) : { token }),
    pushEvents: form.get("push_events") === "on",
    tagPushEvents: form.get("tag_push_events") === "on",
    pipelineEvents: form.get("pipeline_events") === "on",
    jobEvents: form.get("job_events") === "on",
    enableSslVerification: form.get("enable_ssl_verification") === "on",
  };
}

export async function saveHookAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { db, actor, project, list } = await context(form);
  const id = Number(formText(form, "id")) || null;
  try {
    if (id) await updateHook({ db, actor, project, id, input: hookInput(form, true) });
    else await createHook({ db, actor, project, input: hookInput(form, false) });
  } catch (e) {
    return appErrorFormState(e, { url: formText(form, "url") });
  }
  revalidatePath(list);
  redirect(
    `${list}${id ? `/${id}` : ""}?notice=${encodeURIComponent(id ? "Webhook updated." : "Webhook created.")}`,
  );
}

async function act(
  form: FormData,
  back: (list: string) => string,
  fn: (c: Awaited<ReturnType<typeof context>>) => Promise<string>,
): Promise<never> {
  const c = await context(form);
  let target: string;
  try {
    const notice = await fn(c);
    revalidatePath(c.list);
    target = `${back(c.list)}?notice=${encodeURIComponent(notice)}`;
  } catch (e) {
    if (!isAppError(e) && !(e instanceof Error && "hookFailure" in e)) throw e;
    target = `${back(c.list)}?error=${encodeURIComponent(e.message)}`;
  }
  redirect(target);
}

function outcomeMessage(o: DeliveryOutcome, what: string): string {
  if (o.state === "delivered") return `${what}: HTTP ${o.status ?? 200}.`;
  // A failed delivery is the receiver's problem, not the form's: report it as a (red) error.
  throw Object.assign(new Error(`${what} failed: ${o.error ?? "no response"}.`), { hookFailure: true });
}

export async function deleteHookAction(form: FormData): Promise<void> {
  await act(
    form,
    (l) => l,
    async ({ db, actor, project }) => {
      await deleteHook({ db, actor, project, id: Number(formText(form, "id")) });
      return "Webhook deleted.";
    },
  );
}

export async function enableHookAction(form: FormData): Promise<void> {
  const id = Number(formText(form, "id"));
  await act(
    form,
    (l) => `${l}/${id}`,
    async ({ db, actor, project }) => {
      await enableHook({ db, actor, project, id });
      return "Webhook enabled.";
    },
  );
}

export async function testHookAction(form: FormData): Promise<void> {
  const id = Number(formText(form, "id"));
  const back = formText(form, "back") === "list" ? (l: string) => l : (l: string) => `${l}/${id}`;
  await act(form, back, async ({ db, actor, project }) => {
    const o = await testHook({ db, actor, project, id, trigger: formText(form, "trigger") });
    return outcomeMessage(o, "Test event sent");
  });
}

export async function redeliverHookAction(form: FormData): Promise<void> {
  const id = Number(formText(form, "id"));
  await act(
    form,
    (l) => `${l}/${id}`,
    async ({ db, actor, project }) => {
      const o = await redeliverHook({ db, actor, project, id, deliveryId: formText(form, "delivery") });
      return outcomeMessage(o, "Redelivered");
    },
  );
}
