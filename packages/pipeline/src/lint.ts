/**
 * Cross-job checks on a parsed config: stages exist, `needs`/`dependencies` name defined jobs in the
 * current or earlier stages, no duplicate needs, no `needs` cycles. Messages follow GitLab's.
 */
import { Problems } from "./problems.ts";
import type { JobConfig, PipelineConfig, Problem } from "./types.ts";

export function lint(config: PipelineConfig): Problem[] {
  const problems = new Problems();
  const add = (job: JobConfig, path: string, message: string): void => {
    problems.add(path, message);
    const last = problems.list[problems.list.length - 1];
    if (last && job.line !== null) Object.assign(last, { file: ".gitlab-ci.yml", line: job.line, column: 1 });
  };
  const byName = new Map(config.jobs.map((j) => [j.name, j]));
  const stageIdx = (j: JobConfig): number => config.stages.indexOf(j.stage);
  for (const job of config.jobs) {
    if (stageIdx(job) < 0)
      add(
        job,
        `jobs:${job.name}:stage`,
        `${job.name} job: chosen stage does not exist; available stages are ${config.stages.join(", ")}`,
      );
  }
  for (const job of config.jobs) {
    const needLists = [job.needs, ...(job.rules ?? []).map((r) => r.needs)];
    for (const needs of needLists) {
      if (!needs) continue;
      const names = needs.map((n) => n.job);
      const dups = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
      if (dups.length > 0)
        add(
          job,
          `jobs:${job.name}:needs`,
          `${job.name} has the following needs duplicated: ${dups.join(", ")}.`,
        );
      for (const need of needs) {
        const target = byName.get(need.job);
        if (!target) {
          if (!need.optional)
            add(job, `jobs:${job.name}:needs`, `jobs:${job.name}:needs: undefined need: ${need.job}`);
        } else if (stageIdx(target) > stageIdx(job) && stageIdx(job) >= 0)
          add(
            job,
            `jobs:${job.name}:needs`,
            `${job.name} job: need ${need.job} is not defined in current or prior stages`,
          );
      }
    }
    for (const dep of job.dependencies ?? []) {
      const target = byName.get(dep);
      const needed = job.needs?.some((n) => n.job === dep) ?? false;
      if (!target) add(job, `jobs:${job.name}:dependencies`, `${job.name} job: undefined dependency: ${dep}`);
      else if (!needed && stageIdx(target) >= stageIdx(job))
        add(
          job,
          `jobs:${job.name}:dependencies`,
          `${job.name} job: dependency ${dep} is not defined in current or prior stages`,
        );
    }
  }
  for (const cycle of needsCycles(config.jobs)) {
    const job = byName.get(cycle[0] ?? "");
    if (job)
      add(
        job,
        `jobs:${job.name}:needs`,
        `jobs:${job.name}:needs: circular dependency detected in needs: ${cycle.join(" → ")}`,
      );
  }
  return problems.list;
}

/** Each distinct cycle once, as the path of names that closes it. */
function needsCycles(jobs: JobConfig[]): string[][] {
  const edges = new Map(
    jobs.map((j) => [
      j.name,
      [...(j.needs ?? []), ...(j.rules ?? []).flatMap((r) => r.needs ?? [])].map((n) => n.job),
    ]),
  );
  const state = new Map<string, "active" | "done">();
  const cycles: string[][] = [];
  const visit = (name: string, stack: string[]): void => {
    state.set(name, "active");
    for (const next of edges.get(name) ?? []) {
      const s = state.get(next);
      if (s === "active") {
        const from = stack.indexOf(next);
        cycles.push(from >= 0 ? [...stack.slice(from), name, next] : [name, next]);
      } else if (s === undefined && edges.has(next)) visit(next, [...stack, name]);
    }
    state.set(name, "done");
  };
  for (const name of edges.keys()) if (!state.has(name)) visit(name, []);
  return cycles;
}
