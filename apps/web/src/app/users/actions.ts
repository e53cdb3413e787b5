"use server";
/** Sign up, sign in and sign out: server actions that call core and set/clear the session cookie. */
import { redirect } from "next/navigation";
import { z } from "zod";
import { authenticatePassword, createSession, createUser, deleteSession } from "@minilab/core";
import { getDb } from "@minilab/db";
import { formValues, zodFormState, type FormState } from "../../lib/form-state";
import { appErrorFormState } from "../../server/form-errors";
import { clearSessionCookie, safeReturnPath, setSessionCookie } from "../../server/session";

const SignUp = z.object({
  username: z
    .string()
    .trim()
    .min(2, "Username must be at least 2 characters")
    .max(60, "Username is too long")
    .regex(
      /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
      "Use letters, digits, '_', '-' or '.', starting with a letter or digit",
    ),
  email: z.string().trim().pipe(z.email("Enter a valid email address")),
  password: z.string().min(8, "Password must be at least 8 characters"),
});

export async function signUp(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form, ["username", "email"]);
  const parsed = SignUp.safeParse({ ...values, password: form.get("password") ?? "" });
  if (!parsed.success) return zodFormState(parsed.error, values);
  const db = getDb();
  try {
    const user = await createUser({ db, ...parsed.data });
    const session = await createSession({ db, userId: user.id });
    await setSessionCookie(session.token, session.expiresAt);
  } catch (e) {
    return appErrorFormState(e, values);
  }
  redirect("/");
}

const SignIn = z.object({
  login: z.string().trim().min(1, "Enter your username or email"),
  password: z.string().min(1, "Enter your password"),
});

export async function signIn(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form, ["login", "redirect_to"]);
  const parsed = SignIn.safeParse({ login: values["login"], password: form.get("password") ?? "" });
  if (!parsed.success) return zodFormState(parsed.error, values);
  const db = getDb();
  try {
    const user = await authenticatePassword({ db, ...parsed.data });
    const session = await createSession({ db, userId: user.id });
    await setSessionCookie(session.token, session.expiresAt);
  } catch (e) {
    return appErrorFormState(e, values);
  }
  redirect(safeReturnPath(values["redirect_to"]));
}

export async function signOut(): Promise<void> {
  const token = await clearSessionCookie();
  if (token) await deleteSession({ db: getDb(), token });
  redirect("/users/sign_in");
}
