/**
 * The one way a running job ends (runner finish, reconciler): running → success/failed as a
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

export interface CompleteJobOptions {
  jobId: number;
  state: Extract<JobStatus, "success" | "failed">;
  /** Conditions the row must also meet, e.g. the caller's job token or staleness. */
  where?: Prisma.JobWhereInput;
  exitCode?: number | null;
  /** GitLab failure reason; ignored unless `state` is failed. @defaultValue `script_failure` */
  failureReason?: string;
  /** Bytes appended to the log at the acknowledged offset, as the job's last chunk. */
  finalLog?: Buffer;
  /** Collects the status and log events (and dispatches) to run after commit. */
  effects: Effects;
}

/** True when this call completed the job; false when it was not running (or `where` did not match). */
export async function completeJob(tx: Tx, opts: CompleteJobOptions): Promise<boolean> {
  const { jobId, state, finalLog, effects } = opts;
  const appended = finalLog && finalLog.length > 0 ? finalLog : undefined;
  const { count } = await tx.job.updateMany({
    where: { ...opts.where, id: jobId, status: "running" },
    data: {
      status: state,
      finishedAt: new Date(),
      tokenHash: null,
      exitCode: opts.exitCode ?? null,
      failureReason: state === "failed" ? (opts.failureReason ?? "script_failure") : null,
      ...(appended ? { logSize: { increment: appended.length } } : {}),
    },
  });
  if (count !== 1) return false;

  // We hold the row lock until commit, so log_size cannot move under us: the final chunk starts
  // exactly where the acknowledged log ended.
  const job = await tx.job.findUniqueOrThrow({
    where: { id: jobId },
    select: { pipelineId: true, projectId: true, logSize: true },
  });
  if (appended) {
    const offset = job.logSize - appended.length;
    await tx.jobLogChunk.create({ data: { jobId, offset, data: new Uint8Array(appended) } });
    effects.logs.push({ jobId, offset, data: appended });
  }
  effects.events.push({
    kind: "job",
    id: jobId,
    pipelineId: job.pipelineId,
    projectId: job.projectId,
    status: state,
  });
  await advanceInTransaction(tx, job.pipelineId, effects);
  return true;
}
