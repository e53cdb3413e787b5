/**
 * GitLab's job-processing rules as pure functions over a pipeline's (non-retried) jobs, so the rules
 * are testable without a database. advance-pipeline.ts applies the result with compare-and-set updates.
 *
 * Two kinds of jobs, as GitLab:
 * - Stage jobs (`needs` absent): decided once every earlier stage is complete. A stage is complete when
 *   each of its jobs is finished or an optional manual job (`when: manual`, `allow_failure: true`).
 *   "Upstream failed" = some job of an earlier stage failed or was canceled without `allow_failure`.
 * - DAG jobs (`needs: [...]`, `needs: []` included): decided as soon as every need is finished
 *   (success, failed, canceled, skipped) — not waiting for their stage. A need still `manual` blocks
 *   its dependents until someone plays it. Optional needs on jobs absent from the pipeline are ignored.
 *   Upstream = skipped if any need was skipped; failed if any failed/canceled without allow_failure.
 *
 * Decision (GitLab's ProcessBuildService): `always` runs; `on_failure` runs only after an upstream
 * failure; `on_success`, `manual` and `delayed` need upstream success and are otherwise skipped.
 * "Runs" means pending, `manual` (waits for a user), `scheduled` (delayed) — and a job with a
 * `resource_group` goes to `waiting_for_resource` instead of pending.
 */
import type { JobStatus, PipelineStatus } from "@minilab/db";

export interface MachineNeed {
  name: string;
  optional: boolean;
}

export interface MachineJob {
  id: number;
  stageIdx: number;
  status: JobStatus;
  when: string;
  allowFailure: boolean;
  /** Instance name, needed to resolve other jobs' `needs`. */
  name?: string;
  /** null/absent = stage ordering; `[]` = starts at once. */
  needs?: readonly MachineNeed[] | null;
  resourceGroup?: string | null;
}

export type TransitionTarget = "pending" | "skipped" | "manual" | "scheduled" | "waiting_for_resource";

export interface Transition {
  id: number;
  to: TransitionTarget;
}

export const FINISHED_JOB: ReadonlySet<JobStatus> = new Set(["success", "failed", "canceled", "skipped"]);

type Upstream = "success" | "failed" | "skipped";

const isHardFailure = (j: MachineJob): boolean =>
  (j.status === "failed" || j.status === "canceled") && !j.allowFailure;
const stageComplete = (j: StatusOf): boolean =>
  FINISHED_JOB.has(j.status) || (j.status === "manual" && j.allowFailure);
export const isDagJob = (j: Pick<MachineJob, "needs">): boolean => Array.isArray(j.needs);

function decide(job: MachineJob, upstream: Upstream): TransitionTarget {
  const run: TransitionTarget = job.resourceGroup ? "waiting_for_resource" : "pending";
  switch (job.when) {
    case "always":
      return run;
    case "on_failure":
      return upstream === "failed" ? run : "skipped";
    case "manual":
      return upstream === "success" ? "manual" : "skipped";
    case "delayed":
      return upstream === "success" ? "scheduled" : "skipped";
    default:
      return upstream === "success" ? run : "skipped";
  }
}

/**
 * The needs of a DAG job that are not finished yet (by name), or its upstream once all are.
 * Exported for the "why is this job pending?" query.
 */
export function dagUpstream(
  job: MachineJob,
  byName: ReadonlyMap<string, MachineJob>,
): { waiting: string[] } | { upstream: Upstream } {
  const waiting: string[] = [];
  let skipped = false;
  let failed = false;
  for (const need of job.needs ?? []) {
    const dep = byName.get(need.name);
    if (!dep) continue; // optional need on an absent job (the planner refuses mandatory ones)
    if (!FINISHED_JOB.has(dep.status)) waiting.push(need.name);
    else if (dep.status === "skipped") skipped = true;
    else if (isHardFailure(dep)) failed = true;
  }
  if (waiting.length > 0) return { waiting };
  return { upstream: skipped ? "skipped" : failed ? "failed" : "success" };
}

/** Jobs grouped by stage, stages ascending. */
function byStage(jobs: readonly MachineJob[]): MachineJob[][] {
  const groups = new Map<number, MachineJob[]>();
  for (const j of jobs) {
    const g = groups.get(j.stageIdx);
    if (g) g.push(j);
    else groups.set(j.stageIdx, [j]);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

/**
 * The `created` jobs that should move now. Cascades: a job skipped here may release its dependents
 * in the same call (repeated until nothing changes).
 */
export function nextTransitions(jobs: readonly MachineJob[]): Transition[] {
  const current = jobs.map((j) => ({ ...j }));
  const byName = new Map<string, MachineJob>();
  for (const j of current) if (j.name !== undefined) byName.set(j.name, j);
  const stages = byStage(current);
  const out: Transition[] = [];
  const apply = (job: MachineJob, to: TransitionTarget): void => {
    job.status = to;
    out.push({ id: job.id, to });
    changed = true;
  };
  let changed = true;
  while (changed) {
    changed = false;
    let failedSoFar = false;
    for (const inStage of stages) {
      for (const job of inStage) {
        if (job.status === "created" && !isDagJob(job))
          apply(job, decide(job, failedSoFar ? "failed" : "success"));
      }
      if (!inStage.every(stageComplete)) break;
      failedSoFar ||= inStage.some(isHardFailure);
    }
    for (const job of current) {
      if (job.status !== "created" || !isDagJob(job)) continue;
      const up = dagUpstream(job, byName);
      if ("upstream" in up) apply(job, decide(job, up.upstream));
    }
  }
  return out;
}

/** The fields a pipeline's status depends on: one job's, or one aggregate row's (see {@link JobGroup}). */
export type StatusOf = Pick<MachineJob, "status" | "allowFailure">;

/**
 * Jobs of a pipeline grouped by what the stage rules look at (one row of a `GROUP BY` over the
 * jobs), so a pipeline that cannot move is recognised without loading its jobs.
 */
export interface JobGroup extends StatusOf {
  stageIdx: number;
  /** `needs:` given (DAG job). */
  dag: boolean;
  count: number;
}

/**
 * Whether {@link nextTransitions} would move some stage job (`needs` absent): a `created` one in a
 * stage every earlier stage of which is complete — exactly the jobs its stage loop reaches.
 * DAG jobs are not covered: they depend on their needs, not on counts.
 */
export function stageJobsReady(groups: readonly JobGroup[]): boolean {
  const stages = [...new Set(groups.map((g) => g.stageIdx))].sort((a, b) => a - b);
  for (const stage of stages) {
    const inStage = groups.filter((g) => g.stageIdx === stage);
    if (inStage.some((g) => g.status === "created" && !g.dag)) return true;
    if (!inStage.every(stageComplete)) return false;
  }
  return false;
}

/**
 * The names of earlier-stage jobs a stage job waits for (empty when its stage may start), for the
 * "why is this job pending?" query.
 */
export function stageBlockers(job: MachineJob, jobs: readonly MachineJob[]): MachineJob[] {
  return jobs.filter((j) => j.stageIdx < job.stageIdx && !stageComplete(j));
}

/**
 * A pipeline's status from its (non-retried) jobs, after {@link nextTransitions} has been applied:
 * GitLab's `Ci::Status::Composite`. Allowed failures count as success ("success with warnings");
 * optional manual jobs are ignored. Only which (status, allow_failure) pairs occur matters, not how
 * often, so aggregate rows ({@link JobGroup}) give the same answer as the jobs.
 */
export function pipelineStatus(jobs: readonly StatusOf[]): PipelineStatus {
  if (jobs.length === 0) return "skipped";
  const set = new Set<string>();
  for (const j of jobs) {
    if (j.allowFailure && (j.status === "failed" || j.status === "canceled")) set.add("sww");
    else if (j.allowFailure && j.status === "manual") set.add("ignored");
    else set.add(j.status);
  }
  const onlyOf = (...allowed: string[]): boolean => [...set].every((s) => allowed.includes(s));
  const anyOf = (...wanted: string[]): boolean => wanted.some((s) => set.has(s));
  if (onlyOf("skipped", "ignored")) return "skipped";
  if (onlyOf("success", "skipped", "sww", "ignored")) return "success";
  // Nothing runs and jobs are left `created`: they wait for an unplayed manual job they need.
  if (anyOf("created") && anyOf("ignored") && onlyOf("created", "success", "skipped", "sww", "ignored"))
    return "manual";
  if (onlyOf("created", "sww", "ignored")) return "created";
  if (onlyOf("preparing", "sww", "ignored")) return "preparing";
  if (onlyOf("canceled", "success", "skipped", "sww", "ignored")) return "canceled";
  if (anyOf("canceling")) return "canceling";
  if (onlyOf("pending", "created", "skipped", "sww", "ignored")) return "pending";
  if (anyOf("running", "pending")) return "running";
  if (anyOf("waiting_for_resource")) return "waiting_for_resource";
  if (anyOf("manual")) return "manual";
  if (anyOf("scheduled")) return "scheduled";
  if (anyOf("preparing")) return "preparing";
  if (anyOf("created")) return "running";
  return "failed";
}

/** GitLab's "passed with warnings": a successful pipeline with some allowed failure. */
export function pipelineWarnings(jobs: readonly StatusOf[], status: PipelineStatus): boolean {
  return (
    status === "success" &&
    jobs.some((j) => j.allowFailure && (j.status === "failed" || j.status === "canceled"))
  );
}

export const TERMINAL_PIPELINE: ReadonlySet<PipelineStatus> = new Set([
  "success",
  "failed",
  "canceled",
  "skipped",
]);
