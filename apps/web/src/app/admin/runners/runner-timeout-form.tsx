"use client";
import { useActionState } from "react";
import { updateRunnerTimeoutAction, type RunnerTimeoutState } from "./actions";

const initial: RunnerTimeoutState = {};

/**
 * GitLab's "Maximum job timeout" of a runner, in seconds (at least 600; empty = no bound). Jobs this
 * runner takes get min(their own timeout, this).
 */
export function RunnerTimeoutForm({ id, value }: { id: number; value: number | null }) {
  const [state, action, pending] = useActionState(updateRunnerTimeoutAction.bind(null, id), initial);
  const inputId = `runner-${id}-maximum-timeout`;
  return (
    <form action={action} className="flex flex-col gap-1" data-testid="runner-timeout-form">
      <label htmlFor={inputId} className="sr-only">
        Maximum job timeout of runner {id} (seconds)
      </label>
      <div className="flex items-center gap-1">
        <input
          id={inputId}
          name="maximumTimeout"
          type="number"
          min={600}
          step={1}
          inputMode="numeric"
          placeholder="none"
          className="input w-28 font-mono text-xs"
          defaultValue={state.value ?? (value === null ? "" : String(value))}
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? `${inputId}-error` : undefined}
        />
        <button
          type="submit"
          className="btn text-xs"
          disabled={pending}
          aria-label={`Save maximum job timeout of runner ${id}`}
        >
          Save
        </button>
      </div>
      {state.error && (
        <span
          id={`${inputId}-error`}
          role="alert"
          className="text-xs text-red-700"
          data-testid="runner-timeout-error"
        >
          {state.error}
        </span>
      )}
      {state.saved && (
        <span role="status" className="text-xs text-green-700">
          Saved
        </span>
      )}
    </form>
  );
}
