/**
 * Resolves `needs`/`dependencies` of the jobs a pipeline contains to instance names: a need on a
 * parallel job means every instance (or the matrix instances it selects). A need on a job that rules
 * excluded fails the pipeline unless `optional: true`, as GitLab.
 */
import type { Evaluated } from "./plan-job.ts";
import type { Problems } from "./problems.ts";
import type { PlannedJob, PlannedNeed } from "./types.ts";

export function resolveNeeds(evaluated: Evaluated[], problems: Problems): PlannedJob[] {
  const instancesOf = new Map<string, PlannedJob[]>();
  for (const { job, base } of evaluated) {
    instancesOf.set(base, [...(instancesOf.get(base) ?? []), job]);
  }
  return evaluated.map(({ job, needs }) => {
    let planned: PlannedNeed[] | null = null;
    if (needs) {
      planned = [];
      for (const need of needs) {
        const targets = (instancesOf.get(need.job) ?? []).filter((t) => matrixSelects(need.matrix, t));
        if (targets.length === 0 && !need.optional) {
          problems.add(
            `jobs:${job.name}:needs`,
            `'${job.name}' job needs '${need.job}' job, but '${need.job}' does not exist in the pipeline. This might be because of the only, except, or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional.`,
          );
        }
        for (const t of targets)
          planned.push({ name: t.name, optional: need.optional, artifacts: need.artifacts });
      }
    }
    const dependencies =
      job.dependencies?.flatMap((d) => (instancesOf.get(d) ?? []).map((t) => t.name)) ?? null;
    return { ...job, needs: planned, dependencies };
  });
}

function matrixSelects(matrix: Record<string, string[]>[] | null, target: PlannedJob): boolean {
  if (!matrix) return true;
  const vars = new Map(target.variables.map((v) => [v.key, v.value]));
  return matrix.some((entry) =>
    Object.entries(entry).every(([k, values]) => values.includes(vars.get(k) ?? "\0")),
  );
}
