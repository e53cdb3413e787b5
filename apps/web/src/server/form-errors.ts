import { isAppError } from "@minilab/core";
import type { FormState } from "../lib/form-state";

/** Maps expected (AppError) failures to a message; anything else is a bug and is rethrown. */
export function appErrorFormState(e: unknown, values: Record<string, string>): FormState {
  if (!isAppError(e)) throw e;
  const field = e.details?.["field"];
  if (typeof field === "string") return { fields: { [field]: e.message }, values };
  return { error: e.message, values };
}
