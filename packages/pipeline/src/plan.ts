import type { PipelineConfig, Plan, PlanContext, PlannedJob, Variable } from "./types.ts";

/** Merges variable lists; a later key replaces the earlier value but keeps the earlier position. */
export function mergeVariables(...lists: Variable[][]): Variable[] {
  const map = new Map<string, string>();
  for (const list of lists) for (const v of list) map.set(v.key, v.value);
  return [...map].map(([key, value]) => ({ key, value }));
}

/**
 * Turns a validated config into the jobs of one pipeline. Stages without jobs are dropped, as GitLab
 * does, so `stageIdx` counts only stages that will be shown and run.
 */
export function planPipeline(config: PipelineConfig, _ctx: PlanContext = {}): Plan {
  const stages = config.stages.filter((s) => config.jobs.some((j) => j.stage === s));
  const jobs: PlannedJob[] = [];
  for (const [stageIdx, stage] of stages.entries()) {
    for (const job of config.jobs) {
      if (job.stage !== stage) continue;
      jobs.push({
        name: job.name,
        stage,
        stageIdx,
        image: job.image,
        beforeScript: job.beforeScript,
        script: job.script,
        afterScript: job.afterScript,
        variables: mergeVariables(config.variables, job.variables),
        when: job.when,
        allowFailure: job.allowFailure,
      });
    }
  }
  return { stages, jobs };
}
