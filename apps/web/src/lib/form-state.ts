/**
 * What a server action hands back to its form: field errors shown next to inputs, a form-level
 * message, and the submitted values so the form keeps them. Bad input is never a 500.
 * Client-safe: imported by form components, so it must not import server packages.
 */
import type { z } from "zod";

export interface FormState {
  /** Form-level message (e.g. "Invalid login or password"). */
  error?: string;
  /** Field name → message. */
  fields?: Record<string, string>;
  /** Submitted values to re-fill the form with (never passwords). */
  values?: Record<string, string>;
}

export const emptyForm: FormState = {};

export function zodFormState(error: z.ZodError, values: Record<string, string>): FormState {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    fields[key] ??= issue.message;
  }
  return { fields, values };
}

/** Text fields of a form as plain strings (files and missing fields become ""). */
export function formValues(form: FormData, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = form.get(n);
    out[n] = typeof v === "string" ? v : "";
  }
  return out;
}
