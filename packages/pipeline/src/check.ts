/** parse + lint + plan in one call, for callers that want "a plan or the problems". */
import { lint } from "./lint.ts";
import { parse } from "./parse.ts";
import { plan } from "./plan.ts";
import type { ParseOptions, Plan, PlanContext, PipelineConfig, Problem } from "./types.ts";

export type CheckResult =
  | { ok: true; config: PipelineConfig; plan: Plan; warnings: Problem[] }
  | { ok: false; config: PipelineConfig | null; problems: Problem[] };

export function check(text: string, ctx: PlanContext, options: ParseOptions = {}): CheckResult {
  const parsed = parse(text, options);
  const errors = parsed.problems.filter((p) => p.severity === "error");
  if (!parsed.config || errors.length > 0)
    return { ok: false, config: parsed.config, problems: parsed.problems };
  const linted = lint(parsed.config);
  if (linted.length > 0) return { ok: false, config: parsed.config, problems: linted };
  const planned = plan(parsed.config, { files: options.files, ...ctx });
  const planErrors = planned.problems.filter((p) => p.severity === "error");
  if (planErrors.length > 0) return { ok: false, config: parsed.config, problems: planErrors };
  return { ok: true, config: parsed.config, plan: planned, warnings: parsed.problems };
}

/** `file:line:column: message` (location parts omitted when unknown). */
export function formatProblem(p: Problem): string {
  const where = p.line !== null ? `${p.file ?? ".gitlab-ci.yml"}:${p.line}:${p.column ?? 1}: ` : "";
  return `${where}${p.message}`;
}
