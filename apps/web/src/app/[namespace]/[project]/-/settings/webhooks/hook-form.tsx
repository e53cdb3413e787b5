"use client";
import { useActionState } from "react";
import { Field, FormError } from "../../../../../../components/field";
import type { FormState } from "../../../../../../lib/form-state";
import { saveHookAction } from "./actions";

export interface HookFormValues {
  id?: number;
  url: string;
  tokenSet: boolean;
  pushEvents: boolean;
  tagPushEvents: boolean;
  pipelineEvents: boolean;
  jobEvents: boolean;
  enableSslVerification: boolean;
}

const EVENTS = [
  { name: "push_events", key: "pushEvents", label: "Push events", help: "A push to a branch." },
  {
    name: "tag_push_events",
    key: "tagPushEvents",
    label: "Tag push events",
    help: "A tag is created or deleted.",
  },
  {
    name: "pipeline_events",
    key: "pipelineEvents",
    label: "Pipeline events",
    help: "A pipeline's status changes.",
  },
  { name: "job_events", key: "jobEvents", label: "Job events", help: "A job's status changes." },
] as const;

export function HookForm({
  namespace,
  path,
  values,
}: {
  namespace: string;
  path: string;
  values: HookFormValues;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveHookAction, {});
  const editing = values.id !== undefined;
  return (
    <form action={action} className="card space-y-4 p-6" noValidate>
      <input type="hidden" name="namespace" value={namespace} />
      <input type="hidden" name="project" value={path} />
      {editing && <input type="hidden" name="id" value={values.id} />}
      <FormError message={state.error} />
      <Field
        label="URL"
        name="url"
        type="url"
        required
        placeholder="https://example.com/hooks/minilab"
        defaultValue={state.values?.["url"] ?? values.url}
        error={state.fields?.["url"]}
      />
      <Field
        label="Secret token"
        name="token"
        type="password"
        autoComplete="off"
        hint={
          editing && values.tokenSet
            ? "A token is set. Leave empty to keep it. Sent as X-Gitlab-Token and used for the X-Minilab-Signature HMAC."
            : "Sent as X-Gitlab-Token; also the key of the X-Minilab-Signature HMAC-SHA256 of the body."
        }
        error={state.fields?.["token"]}
      />
      {editing && values.tokenSet && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="clear_token" className="accent-brand-600" />
          Remove the secret token
        </label>
      )}
      <fieldset>
        <legend className="label">Trigger</legend>
        <div className="space-y-2">
          {EVENTS.map((e) => (
            <label key={e.name} className="flex cursor-pointer items-start gap-2 text-sm">
              <input
                type="checkbox"
                name={e.name}
                defaultChecked={values[e.key]}
                className="mt-1 accent-brand-600"
              />
              <span>
                <span className="font-semibold">{e.label}</span>
                <span className="block text-zinc-600">{e.help}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="label">SSL verification</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="enable_ssl_verification"
            defaultChecked={values.enableSslVerification}
            className="accent-brand-600"
          />
          Enable SSL verification
        </label>
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? "Saving…" : editing ? "Save changes" : "Add webhook"}
      </button>
    </form>
  );
}
