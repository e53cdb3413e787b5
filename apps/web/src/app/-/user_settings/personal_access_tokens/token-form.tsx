"use client";
import { useActionState } from "react";
import { CopyField } from "../../../../components/copy-field";
import { Field, FormError } from "../../../../components/field";
import { createTokenAction, type TokenFormState } from "./actions";

const SCOPES = [
  { value: "api", help: "Full read and write access to the API." },
  { value: "read_api", help: "Read access to the API: projects, pipelines, jobs and logs." },
  { value: "read_repository", help: "Pull (clone) repositories over HTTP." },
  { value: "write_repository", help: "Push to repositories over HTTP." },
  { value: "read_registry", help: "Pull container images from the container registry." },
  { value: "write_registry", help: "Push container images to the container registry." },
] as const;

const initial: TokenFormState = {};

export function TokenForm({ minDate }: { minDate: string }) {
  const [state, action, pending] = useActionState(createTokenAction, initial);
  const checked = new Set((state.values?.["scopes"] ?? "").split(",").filter(Boolean));
  return (
    <div className="space-y-5">
      {state.created && (
        <div className="rounded-md border border-green-300 bg-green-50 p-4" role="status">
          <p className="mb-2 text-sm font-semibold text-green-900">
            Your new personal access token “{state.created.name}” has been created. Copy it now: you
            won&apos;t be able to see it again.
          </p>
          <CopyField
            label="Your new personal access token"
            value={state.created.token}
            testId="created-token"
          />
        </div>
      )}
      <form action={action} className="space-y-4" noValidate key={state.created?.token ?? "form"}>
        <FormError message={state.error} />
        <Field
          label="Token name"
          name="name"
          required
          defaultValue={state.created ? "" : state.values?.["name"]}
          error={state.fields?.["name"]}
        />
        <Field
          label="Expiration date (optional)"
          name="expiresAt"
          type="date"
          min={minDate}
          defaultValue={state.created ? "" : state.values?.["expiresAt"]}
          error={state.fields?.["expiresAt"]}
          hint="Leave empty for a token that does not expire."
        />
        <fieldset aria-describedby={state.fields?.["scopes"] ? "scopes-error" : undefined}>
          <legend className="label">Select scopes</legend>
          <div className="space-y-2">
            {SCOPES.map((s) => (
              <label key={s.value} className="flex cursor-pointer items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="scopes"
                  value={s.value}
                  defaultChecked={!state.created && checked.has(s.value)}
                  className="mt-1 accent-brand-600"
                />
                <span>
                  <span className="font-mono font-semibold">{s.value}</span>
                  <span className="block text-zinc-600">{s.help}</span>
                </span>
              </label>
            ))}
          </div>
          {state.fields?.["scopes"] && (
            <p id="scopes-error" className="field-error" role="alert">
              {state.fields["scopes"]}
            </p>
          )}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create personal access token"}
        </button>
      </form>
    </div>
  );
}
