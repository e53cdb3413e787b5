"use client";
/**
 * Paste YAML, pick the ref includes are read at, optionally simulate the pipeline, validate. The
 * result renders below without a page reload (a plain form post without JavaScript).
 */
import { useActionState } from "react";
import { lintAction, type LintFormState } from "./actions";
import { LintResult } from "./lint-result";

export function LintForm({
  namespace,
  project,
  refs,
  initial,
}: {
  namespace: string;
  project: string;
  refs: string[];
  initial: LintFormState;
}) {
  const [state, action, pending] = useActionState(lintAction, initial);
  return (
    <>
      <form action={action} className="card space-y-3 p-4" aria-label="Lint CI/CD configuration">
        <input type="hidden" name="namespace" value={namespace} />
        <input type="hidden" name="project" value={project} />
        <div>
          <label htmlFor="ci-lint-content" className="label">
            Contents of .gitlab-ci.yml
          </label>
          <textarea
            id="ci-lint-content"
            name="content"
            className="input font-mono text-xs"
            rows={18}
            defaultValue={state.content}
            spellCheck={false}
            autoComplete="off"
            data-testid="lint-content"
          />
        </div>
        <div className="flex flex-wrap items-end gap-4">
          <div>
            <label htmlFor="ci-lint-ref" className="label">
              Ref (includes, rules:exists, simulation)
            </label>
            <select id="ci-lint-ref" name="ref" className="input" defaultValue={state.ref}>
              {refs.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="dry_run" defaultChecked={state.dryRun} data-testid="lint-dry-run" />
            Simulate a pipeline created for this ref
          </label>
          <button type="submit" className="btn btn-primary" disabled={pending} data-testid="lint-submit">
            {pending ? "Validating…" : "Validate"}
          </button>
        </div>
      </form>
      {state.error && (
        <p role="alert" className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {state.error}
        </p>
      )}
      {state.result && <LintResult result={state.result} />}
    </>
  );
}
