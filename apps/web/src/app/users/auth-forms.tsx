"use client";
import { Link } from "../../components/link";
import { useActionState } from "react";
import { Field, FormError } from "../../components/field";
import { emptyForm } from "../../lib/form-state";
import { signIn, signUp } from "./actions";

export function SignInForm({ redirectTo }: { redirectTo: string }) {
  const [state, action, pending] = useActionState(signIn, emptyForm);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.error} />
      <input type="hidden" name="redirect_to" value={state.values?.["redirect_to"] ?? redirectTo} />
      <Field
        label="Username or primary email"
        name="login"
        autoComplete="username"
        required
        defaultValue={state.values?.["login"]}
        error={state.fields?.["login"]}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={state.fields?.["password"]}
      />
      <button type="submit" className="btn btn-primary w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <p className="text-center text-sm text-zinc-600">
        Don&apos;t have an account yet? <Link href="/users/sign_up">Register now</Link>
      </p>
    </form>
  );
}

export function SignUpForm() {
  const [state, action, pending] = useActionState(signUp, emptyForm);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.error} />
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        required
        defaultValue={state.values?.["username"]}
        error={state.fields?.["username"]}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.["email"]}
        error={state.fields?.["email"]}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="Minimum length is 8 characters."
        error={state.fields?.["password"]}
      />
      <button type="submit" className="btn btn-primary w-full" disabled={pending}>
        {pending ? "Creating account…" : "Register"}
      </button>
      <p className="text-center text-sm text-zinc-600">
        Already have an account? <Link href="/users/sign_in">Sign in</Link>
      </p>
    </form>
  );
}
