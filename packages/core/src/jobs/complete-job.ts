/**
 * The one way a running job ends (runner finish, reconciler): running → success/failed/canceled, or
 * canceling → canceled (a cancel the runner confirms, or whose runner died), as a
 * compare-and-set, token revoked, optional last log line, status event, pipeline advanced — all in
 * the caller's transaction, so either every part commits or none does.
 *
 * Concurrency: the UPDATE takes the job row lock and re-checks `status = 'running'` plus the caller's
 * extra conditions after any lock wait, so of several racing completers exactly one changes the row.
 * A log upload racing with it either commits first (its chunk then precedes the final line) or finds
 * the job no longer running and stores nothing: the stored log stays contiguous.
 */
import type { JobStatus, Prisma } from "@minilab/db";
import type { Tx } from "../pipelines/advance-pipeline.ts";
import { advanceInTransaction } from "../pipelines/advance-pipeline.ts";
import type { Effects } from "../pipelines/effects.ts";
import { plannedOf } from "../pipelines/job-row-spec.ts";
import { insertLogChunk } from "./log-chunks.ts";
import { retryJobInTransaction } from "./retry-job.ts";

export interface CompleteJobOptions {
  jobId: number;
  /** A job a user moved to `canceling` always ends `canceled`, whatever is passed here. */
  state: Extract<JobStatus, "success" | "failed" | "canceled">;
  /** Conditions the row must also meet, e.g. the caller's job token or staleness. */
  where?: Prisma.JobWhereInput;
  exitCode?: number | null;
  /** GitLab failure reason; ignored unless `state` is failed. @defaultValue `script_failure` */
  failureReason?: string;
  /** Bytes appended to the log at the acknowledged offset, as the job's last chunk. */
  finalLog?: Buffer;
  /** Collects the status and log events (and dispatches) to run after commit. */
  effects: Effects;
  /**
   * Given, a job that ends `success` does not advance its pipeline in this transaction: this is
   * called with the pipeline's id instead, and the caller must run `advanceAfterCommit` once the
   * transaction committed (finish-job.ts). Other outcomes (retries, allow_failure, cancels) still
   * advance here.
   */
  deferAdvance?: (pipelineId: number) => void;
}

/**
 * The status this call ended the job with; null when it was not running (or `where` did not match).
 */
export async function completeJob(
  tx: Tx,
  opts: CompleteJobOptions,
): Promise<CompleteJobOptions["state"] | null> {
  const { jobId, state, finalLog, effects } = opts;
  const appended = finalLog && finalLog.length > 0 ? finalLog : undefined;
  const finish = (to: CompleteJobOptions["state"]) => ({
    status: to,
    finishedAt: new Date(),
    tokenHash: null,
    exitCode: opts.exitCode ?? null,
    failureReason: to === "failed" ? (opts.failureReason ?? "script_failure") : null,
    ...(appended ? { logSize: { increment: appended.length } } : {}),
  });
  let final = state;
  // The updated row comes back from the UPDATE itself (RETURNING): no second read.
  const select = { pipelineId: true, projectId: true, logSize: true, name: true, spec: true } as const;
  let [job] = await tx.job.updateManyAndReturn({
    where: { ...opts.where, id: jobId, status: "running" },
    data: finish(state),
    select,
  });
  if (!job) {
    // Running → canceling is the only way out of running that is not final, and canceling never
    // goes back; so trying `running` first and `canceling` second leaves no gap for a racing cancel.
    // A user's cancel committed before this report: the job ends canceled (cancel-job.ts).
    final = "canceled";
    [job] = await tx.job.updateManyAndReturn({
      where: { ...opts.where, id: jobId, status: "canceling" },
      data: finish("canceled"),
      select,
    });
  }
  if (!job) return null;

  // We hold the row lock until commit, so log_size cannot move under us: the final chunk starts
  // exactly where the acknowledged log ended.
  if (appended) {
    const offset = job.logSize - appended.length;
    await insertLogChunk(tx, jobId, offset, appended);
    effects.logs.push({ jobId, offset, data: appended });
  }
  effects.events.push({
    kind: "job",
    id: jobId,
    pipelineId: job.pipelineId,
    projectId: job.projectId,
    status: final,
  });
  if (final === "failed") await afterFailure(tx, { ...job, id: jobId }, opts, effects);
  if (final === "success" && opts.deferAdvance) opts.deferAdvance(job.pipelineId);
  else await advanceInTransaction(tx, job.pipelineId, effects);
  return final;
}

/**
 * GitLab's rules after a failure: `allow_failure: exit_codes` marks the job allowed to fail when its
 * exit code is listed; `retry:` creates the next attempt when the failure reason (and exit code)
 * match and attempts remain. The pipeline row is locked first, as every pipeline-wide change.
 */
async function afterFailure(
  tx: Tx,
  job: { id: number; pipelineId: number; name: string; spec: unknown },
  opts: CompleteJobOptions,
  effects: Effects,
): Promise<void> {
  const planned = plannedOf(job.spec);
  const exitCode = opts.exitCode ?? null;
  if (exitCode !== null && (planned.allowFailureExitCodes ?? []).includes(exitCode))
    await tx.job.update({ where: { id: job.id }, data: { allowFailure: true } });
  const retry = planned.retry;
  if (!retry || retry.max <= 0) return;
  const reason = opts.failureReason ?? "script_failure";
  const when = retry.when.length > 0 ? retry.when : ["always"];
  if (!when.includes("always") && !when.includes(reason)) return;
  if (retry.exitCodes.length > 0 && (exitCode === null || !retry.exitCodes.includes(exitCode))) return;
  await tx.$queryRaw`SELECT id FROM pipelines WHERE id = ${job.pipelineId} FOR UPDATE`;
  const attempts = await tx.job.count({
    where: { pipelineId: job.pipelineId, name: job.name, retried: true },
  });
  if (attempts >= retry.max) return;
  await retryJobInTransaction(tx, job.id, effects);
}
