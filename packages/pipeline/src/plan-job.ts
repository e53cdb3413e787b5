/**
 * One job instance in one pipeline: `rules` (or `only`/`except`) decide whether it runs and with which
 * `when`, `allow_failure`, `start_in`, `needs` and extra variables.
 */
import type { Need } from "./needs-read.ts";
import { onlyExceptKeeps } from "./only-except.ts";
import { firstMatchingRule } from "./rules-eval.ts";
import type { JobConfig, PlanContext, PlannedJob, Variable } from "./types.ts";
import { expand, mergeVariables, resolveVariables } from "./variables.ts";

/** One job, or one instance of a `parallel` job. */
export interface Instance {
  job: JobConfig;
  name: string;
  parallel: { index: number; total: number } | null;
  matrixVars: Variable[];
}

export interface Evaluated {
  job: PlannedJob;
  /** The job's name before `parallel` suffixes. */
  base: string;
  /** The job's `needs` as written (or from the matching rule), resolved to instances later. */
  needs: Need[] | null;
}

type Ctx = PlanContext & { changedFiles: string[] | null; pipelineVars: Record<string, string> };

export function evaluateJob(inst: Instance, globals: Variable[], ctx: Ctx): Evaluated | null {
  const { job } = inst;
  const inherited =
    job.inheritVariables === true
      ? globals
      : job.inheritVariables === false
        ? []
        : globals.filter((v) => (job.inheritVariables as string[]).includes(v.key));
  let variables = mergeVariables(inherited, job.variables, inst.matrixVars);
  const vars = (list: Variable[]): Record<string, string> => ({
    ...resolveVariables(ctx.variables, list),
    ...ctx.pipelineVars,
  });
  let evalVars = vars(variables);

  let when: PlannedJob["when"] | "never" = job.when;
  let allowFailure = job.allowFailure ?? { allowed: job.when === "manual", exitCodes: [] };
  let startIn = job.startIn;
  let needs = job.needs;
  if (job.rules) {
    const rule = firstMatchingRule(job.rules, {
      vars: evalVars,
      changedFiles: ctx.changedFiles,
      compareToChanges: ctx.compareToChanges,
      files: ctx.files,
    });
    if (!rule || rule.when === "never") return null;
    when = rule.when ?? job.when;
    // GitLab: `when: manual` from a rule does not imply allow_failure (only the job-level keyword does).
    allowFailure = rule.allowFailure ?? allowFailure;
    startIn = rule.startIn ?? startIn;
    needs = rule.needs ?? needs;
    if (rule.variables.length > 0) {
      variables = mergeVariables(variables, rule.variables);
      evalVars = vars(variables);
    }
  } else {
    const filter = {
      ref: ctx.ref,
      tag: ctx.tag ?? false,
      source: ctx.source,
      vars: evalVars,
      changedFiles: ctx.changedFiles,
    };
    if (!onlyExceptKeeps(job.only, job.except, filter)) return null;
  }
  if (when === "never") return null;
  const env = job.environment;
  return {
    needs,
    base: job.name,
    job: {
      name: inst.name,
      stage: job.stage,
      stageIdx: 0,
      when,
      allowFailure: allowFailure.allowed,
      allowFailureExitCodes: allowFailure.exitCodes,
      startIn: when === "delayed" ? startIn : null,
      needs: null,
      dependencies: job.dependencies,
      image: job.image ?? { name: "", entrypoint: null },
      services: job.services,
      beforeScript: job.beforeScript,
      script: job.script,
      afterScript: job.afterScript,
      variables,
      retry: job.retry,
      timeoutSeconds: job.timeoutSeconds,
      tags: job.tags.map((t) => expand(t, evalVars)),
      artifacts: job.artifacts,
      cache: job.cache,
      // GitLab expands these server-side: they name things the server tracks.
      environment: env
        ? { ...env, name: expand(env.name, evalVars), url: env.url && expand(env.url, evalVars) }
        : null,
      interruptible: job.interruptible,
      resourceGroup: job.resourceGroup === null ? null : expand(job.resourceGroup, evalVars),
      coverage: job.coverage,
      parallel: inst.parallel,
    },
  };
}
