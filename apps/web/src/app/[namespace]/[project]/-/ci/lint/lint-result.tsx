/**
 * What CI lint found: valid or the problems (with file:line:column), the job list in stage order, the
 * merged YAML. Plain component: rendered by the page (ref lint) and by the form (pasted YAML).
 */
import type { CiLintResult } from "@minilab/core";
import { DataTable } from "../../../../../../components/data-table";

type Problem = CiLintResult["errors"][number];

const where = (p: Problem): string =>
  p.line !== null ? `${p.file ?? ".gitlab-ci.yml"}:${p.line}:${p.column ?? 1}` : "";

function ProblemList({ problems, tone }: { problems: Problem[]; tone: "error" | "warning" }) {
  return (
    <ul className="mt-2 space-y-1 text-sm" data-testid={`lint-${tone}s`}>
      {problems.map((p, i) => (
        <li key={i} className="flex flex-wrap gap-x-2" data-testid={`lint-${tone}`}>
          {where(p) && <span className="font-mono text-xs font-semibold">{where(p)}</span>}
          <span>{p.message}</span>
        </li>
      ))}
    </ul>
  );
}

export function LintResult({ result }: { result: CiLintResult }) {
  const { valid, errors, warnings, jobs } = result;
  const what = result.dryRun
    ? `Simulated a pipeline for ${result.ref ?? "the default branch"}.`
    : result.ref
      ? `Includes and rules:exists read at ${result.ref}.`
      : "The repository is empty: includes cannot be read.";
  return (
    <section aria-label="Lint result" className="mt-6 space-y-4" data-testid="lint-result">
      <div
        role="status"
        data-testid="lint-status"
        data-valid={valid}
        className={`rounded-md border p-4 ${
          valid ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-900"
        }`}
      >
        <p className="font-semibold">
          {valid ? "Syntax is correct." : "This GitLab CI configuration is invalid:"}
        </p>
        <p className="text-xs opacity-80">{what}</p>
        {!valid && <ProblemList problems={errors} tone="error" />}
      </div>
      {warnings.length > 0 && (
        <div className="notice-warn rounded-md border p-4">
          <p className="font-semibold">Warnings</p>
          <ProblemList problems={warnings} tone="warning" />
        </div>
      )}
      {valid && (
        <DataTable
          columns={["Stage", "Job", "When", "Allow failure", "Needs"]}
          caption={
            <>
              {jobs.length} {jobs.length === 1 ? "job" : "jobs"}
              {result.dryRun ? " in the simulated pipeline" : ""}
            </>
          }
          captionClassName="border-b border-zinc-200 px-4 py-2 text-left font-semibold"
          testId="lint-jobs"
        >
          {jobs.map((j) => (
            <tr key={j.name} data-testid="lint-job" data-job={j.name} className="align-top">
              <td className="px-4 py-2 font-mono text-xs">{j.stage}</td>
              <td className="px-4 py-2">
                <span className="font-medium">{j.name}</span>
                {j.hasRules && <span className="muted ml-2 text-xs">(rules)</span>}
                {j.script.length > 0 && (
                  <pre className="muted mt-1 max-w-xl truncate font-mono text-xs">{j.script.join("\n")}</pre>
                )}
              </td>
              <td className="px-4 py-2 font-mono text-xs" data-testid="lint-job-when">
                {j.when}
              </td>
              <td className="px-4 py-2 text-xs" data-testid="lint-job-allow-failure">
                {j.allowFailure ? "yes" : "no"}
              </td>
              <td className="px-4 py-2 font-mono text-xs" data-testid="lint-job-needs">
                {j.needs === null ? <span className="muted">stage order</span> : j.needs.join(", ") || "[]"}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {result.includes.length > 0 && (
        <div className="text-sm">
          <span className="font-semibold">Included files:</span>{" "}
          {result.includes.map((i) => (
            <span key={i.location} className="code mr-1">
              {i.location}
            </span>
          ))}
        </div>
      )}
      {valid && result.mergedYaml !== null && (
        <details className="card">
          <summary className="cursor-pointer px-4 py-2 font-semibold">Merged YAML</summary>
          <pre
            className="overflow-x-auto border-t border-zinc-200 p-4 font-mono text-xs"
            data-testid="lint-merged-yaml"
          >
            {result.mergedYaml}
          </pre>
        </details>
      )}
    </section>
  );
}
