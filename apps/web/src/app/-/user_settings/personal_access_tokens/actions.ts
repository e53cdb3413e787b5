"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createPersonalAccessToken, revokePersonalAccessToken } from "@minilab/core";
import { getDb } from "@minilab/db";
import { formValues, zodFormState, type FormState } from "../../../../lib/form-state";
import { appErrorFormState } from "../../../../server/form-errors";
import { requireUser } from "../../../../server/session";

const PAGE = "/-/user_settings/personal_access_tokens";

export interface TokenFormState extends FormState {
  /** The new token's value: shown once, never stored in clear. */
  created?: { name: string; token: string };
}

const NewToken = z.object({
  name: z.string().trim().min(1, "Enter a token name").max(255, "Name is too long"),
  scopes: z.array(z.string()).min(1, "Select at least one scope"),
  expiresAt: z
    .string()
    .trim()
    .refine((s) => s === "" || /^\d{4}-\d{2}-\d{2}$/.test(s), "Use a date such as 2030-12-31"),
});

export async function createTokenAction(_prev: TokenFormState, form: FormData): Promise<TokenFormState> {
  const user = await requireUser(PAGE);
  const values = formValues(form, ["name", "expiresAt"]);
  const scopes = form.getAll("scopes").filter((s): s is string => typeof s === "string");
  const parsed = NewToken.safeParse({ ...values, scopes });
  const keep = { ...values, scopes: scopes.join(",") };
  if (!parsed.success) return zodFormState(parsed.error, keep);
  const { name, expiresAt } = parsed.data;
  try {
    const { token } = await createPersonalAccessToken({
      db: getDb(),
      userId: user.id,
      name,
      scopes: parsed.data.scopes,
      // GitLab: the token expires at the start of that day (UTC).
      expiresAt: expiresAt ? new Date(`${expiresAt}T00:00:00Z`) : null,
    });
    revalidatePath(PAGE);
    return { created: { name, token } };
  } catch (e) {
    return appErrorFormState(e, keep);
  }
}

export async function revokeTokenAction(id: number): Promise<void> {
  const user = await requireUser(PAGE);
  await revokePersonalAccessToken({ db: getDb(), userId: user.id, id });
  revalidatePath(PAGE);
}
