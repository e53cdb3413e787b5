/**
 * A parsed config + the facts of one pipeline → the jobs it contains. Evaluates `workflow:rules`,
 * expands `parallel`, evaluates each instance's `rules` or `only`/`except`, then resolves `needs`.
 */
import { evaluateJob, type Evaluated, type Instance } from "./plan-job.ts";
import { resolveNeeds } from "./plan-needs.ts";
import { instanceNames } from "./parallel.ts";
import { Problems } from "./problems.ts";
import { firstMatchingRule } from "./rules-eval.ts";
import type { JobConfig, PipelineConfig, Plan, PlanContext, PlannedJob } from "./types.ts";
import { mergeVariables, resolveVariables } from "./variables.ts";

export function plan(config: PipelineConfig, ctx: PlanContext): Plan {
  const problems = new Problems();
  const pipelineVars = ctx.pipelineVariables ?? {};
  const changedFiles = ctx.changedFiles ?? null;
  // Predefined < YAML < pipeline variables, as GitLab's precedence.
  const globalVars = resolveVariables({ ...ctx.variables }, config.variables);
  const workflowVars = { ...globalVars, ...pipelineVars };
  const wfRule = config.workflow.rules
    ? firstMatchingRule(config.workflow.rules, {
        vars: workflowVars,
        changedFiles,
        compareToChanges: ctx.compareToChanges,
        files: ctx.files,
      })
    : null;
  const created = config.workflow.rules === null || (wfRule !== null && wfRule.when !== "never");
  const workflow = { created, name: config.workflow.name, variables: wfRule?.variables ?? [] };
  if (!created) return { stages: [], jobs: [], workflow, problems: [] };

  const globals = mergeVariables(config.variables, workflow.variables);
  const planned: Evaluated[] = [];
  for (const inst of config.jobs.flatMap(instances)) {
    const job = evaluateJob(inst, globals, { ...ctx, changedFiles, pipelineVars });
    if (job) planned.push(job);
  }
  const stages = config.stages.filter((s) => planned.some((e) => e.job.stage === s));
  const ordered = stages.flatMap((stage, stageIdx) =>
    planned.filter((e) => e.job.stage === stage).map((e) => ({ ...e, job: { ...e.job, stageIdx } })),
  );
  const jobs: PlannedJob[] = resolveNeeds(ordered, problems);
  if (jobs.length > 0 && jobs.every((j) => j.stage === ".pre" || j.stage === ".post"))
    return { stages: [], jobs: [], workflow, problems: [...problems.list] };
  return { stages, jobs, workflow, problems: problems.list };
}

function instances(job: JobConfig): Instance[] {
  const p = job.parallel;
  if (!p) return [{ job, name: job.name, parallel: null, matrixVars: [] }];
  const names = instanceNames(job.name, p);
  return names.map((name, i) => ({
    job,
    name,
    parallel: { index: i + 1, total: names.length },
    matrixVars:
      "matrix" in p
        ? Object.entries(p.matrix[i] ?? {}).map(([key, value]) => ({ key, value, expand: true }))
        : [],
  }));
}
