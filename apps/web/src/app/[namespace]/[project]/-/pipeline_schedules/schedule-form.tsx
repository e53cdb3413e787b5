"use client";
import { Link } from "../../../../../components/link";
import { useActionState } from "react";
import { Field, FormError } from "../../../../../components/field";
import type { FormState } from "../../../../../lib/form-state";
import { saveScheduleAction } from "./actions";

export interface ScheduleFormValues {
  id?: number;
  description: string;
  cron: string;
  cronTimezone: string;
  ref: string;
  active: boolean;
  variables: Array<{ key: string; value: string }>;
}

const PRESETS = [
  { label: "Every day (at 03:00)", cron: "0 3 * * *" },
  { label: "Every week (Sunday at 03:00)", cron: "0 3 * * 0" },
  { label: "Every month (on the 1st at 03:00)", cron: "0 3 1 * *" },
];

export function ScheduleForm({
  namespace,
  path,
  values,
  refs,
  timeZones,
  cancelHref,
}: {
  namespace: string;
  path: string;
  values: ScheduleFormValues;
  refs: string[];
  timeZones: string[];
  cancelHref: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveScheduleAction, {});
  const v = (k: string, fallback: string) => state.values?.[k] ?? fallback;
  const rows = [...values.variables, { key: "", value: "" }, { key: "", value: "" }];
  return (
    <form action={action} className="card max-w-3xl space-y-4 p-6" noValidate>
      <input type="hidden" name="namespace" value={namespace} />
      <input type="hidden" name="project" value={path} />
      {values.id !== undefined && <input type="hidden" name="id" value={values.id} />}
      <FormError message={state.error} />
      <Field
        label="Description"
        name="description"
        required
        maxLength={255}
        defaultValue={v("description", values.description)}
        error={state.fields?.["description"]}
      />
      <div>
        <Field
          label="Interval pattern (cron)"
          name="cron"
          required
          className="input font-mono"
          defaultValue={v("cron", values.cron)}
          error={state.fields?.["cron"]}
          hint="Five fields: minute hour day-of-month month day-of-week, e.g. 0 3 * * * for every day at 03:00."
        />
        <p className="mt-1 text-xs text-zinc-500">
          Examples: {PRESETS.map((p) => `${p.label}: ${p.cron}`).join(" · ")}
        </p>
      </div>
      <Field
        label="Cron time zone"
        name="cron_timezone"
        list="schedule-timezones"
        defaultValue={v("cron_timezone", values.cronTimezone)}
        error={state.fields?.["cron_timezone"]}
      />
      <datalist id="schedule-timezones">
        {timeZones.map((tz) => (
          <option key={tz} value={tz} />
        ))}
      </datalist>
      <Field
        label="Target branch or tag"
        name="ref"
        required
        list="schedule-refs"
        defaultValue={v("ref", values.ref)}
        error={state.fields?.["ref"]}
      />
      <datalist id="schedule-refs">
        {refs.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <fieldset>
        <legend className="label">Variables</legend>
        <div className="space-y-2">
          {rows.map((row, i) => (
            <div key={i} className="flex gap-2">
              <input
                name={`var_key_${i}`}
                aria-label={`Variable ${i + 1} key`}
                placeholder="KEY"
                defaultValue={row.key}
                className="input w-1/3 font-mono"
              />
              <input
                name={`var_value_${i}`}
                aria-label={`Variable ${i + 1} value`}
                placeholder="value"
                defaultValue={row.value}
                className="input flex-1 font-mono"
              />
            </div>
          ))}
        </div>
        <p className="mt-1 text-xs text-zinc-500">
          Passed to the pipelines this schedule creates. Empty keys are ignored.
        </p>
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="active" defaultChecked={values.active} className="accent-brand-600" />
        Activated
      </label>
      <div className="flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : values.id === undefined ? "Create pipeline schedule" : "Save changes"}
        </button>
        <Link href={cancelHref} className="btn">
          Cancel
        </Link>
      </div>
    </form>
  );
}
