"use client";
import { Link } from "../../../../../../components/link";
import { useActionState, useState } from "react";
import { emptyForm } from "../../../../../../lib/form-state";
import { runPipelineAction } from "../actions";

/** Ref selector and variable rows; errors (unknown ref, workflow rules, …) come back from the action. */
export function RunPipelineForm({
  namespace,
  path,
  branches,
  tags,
  initialRef,
  cancelHref,
}: {
  namespace: string;
  path: string;
  branches: string[];
  tags: string[];
  initialRef: string;
  cancelHref: string;
}) {
  const [state, action, pending] = useActionState(runPipelineAction, emptyForm);
  const [rows, setRows] = useState([0]);
  return (
    <form
      action={action}
      className="card space-y-4 p-4"
      aria-label="Run pipeline"
      data-testid="run-pipeline-form"
    >
      <input type="hidden" name="namespace" value={namespace} />
      <input type="hidden" name="project" value={path} />
      {state.error && (
        <p
          role="alert"
          data-testid="run-pipeline-error"
          className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
        >
          {state.error}
        </p>
      )}
      <div>
        <label htmlFor="run-ref" className="label">
          Run for branch name or tag
        </label>
        <select
          id="run-ref"
          name="ref"
          className="input max-w-sm"
          defaultValue={state.values?.["ref"] ?? initialRef}
          data-testid="run-pipeline-ref"
        >
          {branches.length > 0 && (
            <optgroup label="Branches">
              {branches.map((b) => (
                <option key={`b-${b}`} value={b}>
                  {b}
                </option>
              ))}
            </optgroup>
          )}
          {tags.length > 0 && (
            <optgroup label="Tags">
              {tags.map((t) => (
                <option key={`t-${t}`} value={t}>
                  {t}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      <fieldset>
        <legend className="label">Variables</legend>
        <div className="space-y-2">
          {rows.map((row, i) => (
            <div key={row} className="flex gap-2" data-testid="run-pipeline-variable">
              <select
                name="var_type"
                className="input w-36"
                aria-label={`Variable ${i + 1} type`}
                defaultValue="env_var"
              >
                <option value="env_var">Variable</option>
                <option value="file">File</option>
              </select>
              <input
                name="var_key"
                className="input font-mono"
                placeholder="Input variable key"
                aria-label={`Variable ${i + 1} key`}
                pattern="[A-Za-z_][A-Za-z0-9_]*"
                title="Letters, digits and _ only, not starting with a digit"
                autoComplete="off"
              />
              {/* A textarea, as GitLab's form: a File variable's content is often several lines. */}
              <textarea
                name="var_value"
                className="input min-h-[2.25rem] font-mono"
                rows={1}
                placeholder="Input variable value"
                aria-label={`Variable ${i + 1} value`}
                autoComplete="off"
              />
              <button
                type="button"
                className="btn"
                aria-label={`Remove variable ${i + 1}`}
                onClick={() => setRows((r) => (r.length > 1 ? r.filter((x) => x !== row) : r))}
              >
                ×
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          className="btn mt-2"
          data-testid="run-pipeline-add-variable"
          onClick={() => setRows((r) => [...r, Date.now()])}
        >
          Add variable
        </button>
      </fieldset>
      <div className="flex gap-2">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={pending}
          data-testid="run-pipeline-submit"
        >
          Run pipeline
        </button>
        <Link href={cancelHref} className="btn">
          Cancel
        </Link>
      </div>
    </form>
  );
}
