"use server";
import { notFound } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { deleteRunner, isAppError, registerRunner, updateRunner } from "@minilab/core";
import { getDb } from "@minilab/db";
import { formValues, zodFormState, type FormState } from "../../../lib/form-state";
import { appErrorFormState } from "../../../server/form-errors";
import { requireUser } from "../../../server/session";

const PAGE = "/admin/runners";

export interface RunnerFormState extends FormState {
  /** The new runner's token: shown once, only its hash is stored. */
  created?: { id: number; token: string };
}

const NewRunner = z.object({
  description: z.string().trim().max(255, "Description is too long"),
  tags: z.string().max(2000, "Too many tags"),
  runUntagged: z.boolean(),
});

/** Admins only; anyone else gets a 404 (the page's existence is not revealed). */
async function requireAdmin(): Promise<void> {
  const user = await requireUser(PAGE);
  if (!user.isAdmin) notFound();
}

export async function createRunnerAction(_prev: RunnerFormState, form: FormData): Promise<RunnerFormState> {
  await requireAdmin();
  const values = formValues(form, ["description", "tags"]);
  const parsed = NewRunner.safeParse({ ...values, runUntagged: form.get("runUntagged") === "on" });
  if (!parsed.success) return zodFormState(parsed.error, values);
  try {
    const { runner, token } = await registerRunner({
      db: getDb(),
      description: parsed.data.description,
      tags: parsed.data.tags.split(","),
      runUntagged: parsed.data.runUntagged,
    });
    revalidatePath(PAGE);
    return { created: { id: runner.id, token } };
  } catch (e) {
    return appErrorFormState(e, values);
  }
}

export async function deleteRunnerAction(id: number): Promise<void> {
  await requireAdmin();
  await deleteRunner({ db: getDb(), id });
  revalidatePath(PAGE);
}

export interface RunnerTimeoutState {
  error?: string;
  saved?: boolean;
  /** What was submitted, shown again after an error. */
  value?: string;
}

/** The runner's maximum job timeout in seconds; empty removes it (core checks admin and bounds). */
export async function updateRunnerTimeoutAction(
  id: number,
  _prev: RunnerTimeoutState,
  form: FormData,
): Promise<RunnerTimeoutState> {
  await requireAdmin();
  const user = await requireUser(PAGE);
  const value = form.get("maximumTimeout");
  const raw = typeof value === "string" ? value.trim() : "";
  if (raw !== "" && !/^\d{1,9}$/.test(raw))
    return { error: "Enter a whole number of seconds, or nothing for no limit", value: raw };
  try {
    await updateRunner({ db: getDb(), actor: user, id, maximumTimeout: raw === "" ? null : Number(raw) });
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { error: e.message, value: raw };
  }
  revalidatePath(PAGE);
  return { saved: true };
}
