"use client";
import { useActionState } from "react";
import { CopyField } from "../../../../../../components/copy-field";
import { Field, FormError } from "../../../../../../components/field";
import { createTriggerAction, type TriggerFormState } from "./trigger-actions";

const initial: TriggerFormState = {};

/** New trigger token; the created value is shown here once. */
export function TriggerForm({ namespace, path }: { namespace: string; path: string }) {
  const [state, action, pending] = useActionState(createTriggerAction, initial);
  return (
    <div className="space-y-4">
      {state.created && (
        <div className="rounded-md border border-green-300 bg-green-50 p-4" role="status">
          <p className="mb-2 text-sm font-semibold text-green-900">
            Trigger token “{state.created.description || "(no description)"}” created. Copy it now: you
            won&apos;t be able to see it again.
          </p>
          <CopyField
            label="Your new trigger token"
            value={state.created.token}
            testId="created-trigger-token"
          />
        </div>
      )}
      <form action={action} className="flex flex-wrap items-end gap-3" key={state.created?.token ?? "form"}>
        <input type="hidden" name="namespace" value={namespace} />
        <input type="hidden" name="project" value={path} />
        <FormError message={state.error} />
        <div className="min-w-64 flex-1">
          <Field
            label="Description"
            name="description"
            maxLength={255}
            placeholder="e.g. deploy from the release system"
            defaultValue={state.created ? "" : state.values?.["description"]}
            error={state.fields?.["description"]}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Adding…" : "Add new token"}
        </button>
      </form>
    </div>
  );
}
