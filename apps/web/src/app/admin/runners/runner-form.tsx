"use client";
import { useActionState } from "react";
import { CopyField } from "../../../components/copy-field";
import { Field, FormError } from "../../../components/field";
import { createRunnerAction, type RunnerFormState } from "./actions";

const initial: RunnerFormState = {};

export function RunnerForm() {
  const [state, action, pending] = useActionState(createRunnerAction, initial);
  return (
    <div className="space-y-5">
      {state.created && (
        <div className="rounded-md border border-green-300 bg-green-50 p-4" role="status">
          <p className="mb-2 text-sm font-semibold text-green-900">
            Runner #{state.created.id} created. Copy its authentication token now: you won&apos;t be able to
            see it again. Put it in the runner&apos;s config (<span className="code">token</span>) or{" "}
            <span className="code">MINILAB_RUNNER_TOKEN</span>.
          </p>
          <CopyField label="Runner authentication token" value={state.created.token} testId="runner-token" />
        </div>
      )}
      <form action={action} className="space-y-4" noValidate key={state.created?.token ?? "form"}>
        <FormError message={state.error} />
        <Field
          label="Description"
          name="description"
          defaultValue={state.created ? "" : state.values?.["description"]}
          error={state.fields?.["description"]}
        />
        <Field
          label="Tags (comma-separated)"
          name="tags"
          defaultValue={state.created ? "" : state.values?.["tags"]}
          error={state.fields?.["tags"] ?? state.fields?.["runUntagged"]}
        />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="runUntagged" defaultChecked />
          Run untagged jobs
        </label>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create runner"}
        </button>
      </form>
    </div>
  );
}
