"use server";
/**
 * Pipeline schedule forms. Transport adapters: read the form → one core use-case (which checks the
 * caller's role) → redirect to the list with a notice, or answer the form its error.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  isAppError,
  playSchedule,
  updateSchedule,
  type ScheduleInput,
} from "@minilab/core";
import type { FormState } from "../../../../../lib/form-state";
import { appErrorFormState } from "../../../../../server/form-errors";
import { formText, projectFormContext } from "../../../../../server/form-fields";

const context = (form: FormData) => projectFormContext(form, "pipeline_schedules");

/** Variables from the form's `var_key_N` / `var_value_N` rows; empty keys are dropped. */
function formVariables(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of form.entries()) {
    const m = /^var_key_(\d+)$/.exec(name);
    if (!m || typeof v !== "string" || v.trim() === "") continue;
    out[v.trim()] = formText(form, `var_value_${m[1]}`);
  }
  return out;
}

function formInput(form: FormData): ScheduleInput {
  return {
    description: formText(form, "description"),
    cron: formText(form, "cron"),
    cronTimezone: formText(form, "cron_timezone"),
    ref: formText(form, "ref"),
    active: form.get("active") === "on",
    variables: formVariables(form),
  };
}

const keep = (form: FormData) => ({
  description: formText(form, "description"),
  cron: formText(form, "cron"),
  cron_timezone: formText(form, "cron_timezone"),
  ref: formText(form, "ref"),
});

export async function saveScheduleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { db, actor, project, list } = await context(form);
  const id = Number(formText(form, "id")) || null;
  let notice: string;
  try {
    const input = formInput(form);
    const s = id
      ? await updateSchedule({ db, actor, project, id, input })
      : await createSchedule({ db, actor, project, input });
    notice = `Schedule “${s.description}” ${id ? "updated" : "created"}.`;
  } catch (e) {
    return appErrorFormState(e, keep(form));
  }
  revalidatePath(list);
  redirect(`${list}?notice=${encodeURIComponent(notice)}`);
}

async function listAction(
  form: FormData,
  fn: (c: Awaited<ReturnType<typeof context>>) => Promise<string>,
): Promise<never> {
  const c = await context(form);
  let target: string;
  try {
    target = `${c.list}?notice=${encodeURIComponent(await fn(c))}`;
    revalidatePath(c.list);
  } catch (e) {
    if (!isAppError(e)) throw e;
    target = `${c.list}?error=${encodeURIComponent(e.message)}`;
  }
  redirect(target);
}

export async function playScheduleAction(form: FormData): Promise<void> {
  await listAction(form, async ({ db, actor, project }) => {
    const pipelineId = await playSchedule({ db, actor, project, id: Number(formText(form, "id")) });
    return `Successfully scheduled a pipeline to run (pipeline #${pipelineId}).`;
  });
}

export async function toggleScheduleAction(form: FormData): Promise<void> {
  await listAction(form, async ({ db, actor, project }) => {
    const id = Number(formText(form, "id"));
    const current = await getSchedule({ db, actor, project, id });
    const s = await updateSchedule({ db, actor, project, id, input: { active: !current.active } });
    return `Schedule “${s.description}” ${s.active ? "activated" : "deactivated"}.`;
  });
}

export async function deleteScheduleAction(form: FormData): Promise<void> {
  await listAction(form, async ({ db, actor, project }) => {
    const s = await deleteSchedule({ db, actor, project, id: Number(formText(form, "id")) });
    return `Schedule “${s.description}” deleted.`;
  });
}
