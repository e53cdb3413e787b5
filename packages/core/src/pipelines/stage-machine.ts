/**
 * GitLab's stage semantics as a pure function over a pipeline's jobs, so the rules are testable
 * without a database. advance-pipeline.ts applies the result with compare-and-set updates.
 *
 * Rules (GitLab `stages:` without `needs:`):
 * - Stages run in order. A stage's `created` jobs are decided only once every earlier stage is complete.
 * - A stage is complete when none of its jobs is created/pending/running and no blocking manual job
 *   (`when: manual`, `allow_failure: false`) is waiting in it.
 * - "Failed so far" = some job of an earlier stage failed or was canceled without `allow_failure`.
 *   Then `on_success`/`manual` jobs are skipped and `on_failure` jobs run; otherwise `on_success` jobs
 *   run, `manual` jobs wait for a user and `on_failure` jobs are skipped. `always` jobs always run.
 */
import type { JobStatus, PipelineStatus } from "@minilab/db";

export interface MachineJob {
  id: number;
  stageIdx: number;
  status: JobStatus;
  when: string;
  allowFailure: boolean;
}

export interface Transition {
  id: number;
  to: "pending" | "skipped" | "manual";
}

const ACTIVE: ReadonlySet<JobStatus> = new Set([
  "pending",
  "running",
  "preparing",
  "waiting_for_resource",
  "canceling",
]);

const isBlockingManual = (j: MachineJob): boolean => j.status === "manual" && !j.allowFailure;
const isHardFailure = (j: MachineJob): boolean =>
  (j.status === "failed" || j.status === "canceled") && !j.allowFailure;

function decide(job: MachineJob, failedSoFar: boolean): Transition["to"] {
  switch (job.when) {
    case "always":
      return "pending";
    case "on_failure":
      return failedSoFar ? "pending" : "skipped";
    case "manual":
      return failedSoFar ? "skipped" : "manual";
    default:
      return failedSoFar ? "skipped" : "pending";
  }
}

/** The `created` jobs that should move now, in stage order. */
export function nextTransitions(jobs: readonly MachineJob[]): Transition[] {
  const current = jobs.map((j) => ({ ...j }));
  const stages = [...new Set(current.map((j) => j.stageIdx))].sort((a, b) => a - b);
  const out: Transition[] = [];
  let failedSoFar = false;
  for (const stage of stages) {
    const inStage = current.filter((j) => j.stageIdx === stage);
    for (const job of inStage) {
      if (job.status !== "created") continue;
      const to = decide(job, failedSoFar);
      job.status = to;
      out.push({ id: job.id, to });
    }
    const complete = inStage.every(
      (j) => j.status !== "created" && !ACTIVE.has(j.status) && !isBlockingManual(j),
    );
    if (!complete) break;
    failedSoFar ||= inStage.some(isHardFailure);
  }
  return out;
}

/**
 * A pipeline's status from its jobs' statuses, after {@link nextTransitions} has been applied.
 * `ignored` jobs (allowed failures, optional manual jobs) never make a pipeline fail or wait.
 */
export function pipelineStatus(jobs: readonly MachineJob[]): PipelineStatus {
  if (jobs.length === 0) return "skipped";
  if (jobs.some((j) => ACTIVE.has(j.status))) {
    // "pending" until some job has actually started; from then on the pipeline is running.
    const started = jobs.some(
      (j) =>
        j.status !== "created" && j.status !== "pending" && j.status !== "skipped" && j.status !== "manual",
    );
    return started ? "running" : "pending";
  }
  if (jobs.some((j) => j.status === "failed" && !j.allowFailure)) return "failed";
  if (jobs.some((j) => j.status === "canceled" && !j.allowFailure)) return "canceled";
  if (jobs.some(isBlockingManual)) return "manual";
  // Nothing active and no decision pending: only `created` jobs (not yet advanced) remain.
  if (jobs.some((j) => j.status === "created")) return "created";
  const ignored = (j: MachineJob): boolean =>
    j.status === "skipped" ||
    j.status === "manual" ||
    (j.allowFailure && (j.status === "failed" || j.status === "canceled"));
  if (jobs.every(ignored)) return "skipped";
  return "success";
}

export const TERMINAL_PIPELINE: ReadonlySet<PipelineStatus> = new Set([
  "success",
  "failed",
  "canceled",
  "skipped",
]);
