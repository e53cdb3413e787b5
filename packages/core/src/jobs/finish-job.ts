/**
 * Runner reports the end of a job: running → success/failed (CAS), token revoked, pipeline advanced.
 * Idempotent: finishing an already finished job answers with its status and changes nothing. Since
 * the token is cleared on finish, such a retry cannot be authenticated; answering it is harmless
 * because it neither reveals nor changes anything.
 */
import type { JobFinish } from "@minilab/contracts";
import type { Db, JobStatus } from "@minilab/db";
import { AppError } from "../errors.ts";
import { advanceAfterCommit, type Tx } from "../pipelines/advance-pipeline.ts";
import { noEffects, runEffects } from "../pipelines/effects.ts";
import { completeJob } from "./complete-job.ts";
import { hashJobToken } from "./job-token.ts";

export interface FinishJobOptions {
  db: Db;
  jobId: number;
  jobToken: string;
  state: JobFinish["state"];
  exitCode?: number | null;
  failureReason?: string;
  /** The log's last bytes, from the runner's acknowledged `offset`, stored before the job ends. */
  finalLog?: { offset: number; data: Buffer };
}

const FINISHED: ReadonlySet<JobStatus> = new Set(["success", "failed", "canceled", "skipped"]);

export async function finishJob(opts: FinishJobOptions): Promise<{ status: JobStatus }> {
  const { db, jobId, jobToken, state } = opts;
  const effects = noEffects();
  const tokenHash = hashJobToken(jobToken);
  // A success advances its pipeline after this transaction commits (advanceAfterCommit): finishes of
  // one pipeline then no longer queue on its row lock. A finish repeated after a lost answer (the job
  // is already final) advances too, so a finish whose advance failed is completed by its retry.
  let advance: number | undefined;
  const status = await db.$transaction(async (tx) => {
    const completed = await completeJob(tx, {
      jobId,
      state,
      where: { tokenHash },
      ...(opts.finalLog ? { finalLog: await unstoredTail(tx, jobId, tokenHash, opts.finalLog) } : {}),
      exitCode: opts.exitCode ?? null,
      failureReason: opts.failureReason,
      effects,
      deferAdvance: (pipelineId) => (advance = pipelineId),
    });
    // A job canceled while running ends canceled whatever the runner reports (complete-job.ts).
    if (completed) return completed;
    const job = await tx.job.findUnique({ where: { id: jobId }, select: { status: true, pipelineId: true } });
    if (!job) throw new AppError("not_found", "Job not found");
    if (FINISHED.has(job.status)) {
      advance = job.pipelineId;
      return job.status;
    }
    if (job.status === "running" || job.status === "canceling")
      throw new AppError("forbidden", "Invalid job token");
    throw new AppError("conflict", `Job is ${job.status}, not running`, { status: job.status });
  });
  if (advance !== undefined) await advanceAfterCommit(db, advance, effects);
  await runEffects(effects);
  return { status };
}

/**
 * The part of the runner's final bytes the log does not hold yet, as a trace upload would store it:
 * bytes before `log_size` are a resend of stored ones; bytes after a gap cannot be placed (the
 * runner sends the finish only after every earlier byte was acknowledged, so neither should occur).
 * completeJob appends them at `log_size` in the finishing UPDATE, which the job row lock orders
 * after any upload that committed before it.
 */
async function unstoredTail(
  tx: Tx,
  jobId: number,
  tokenHash: string,
  log: { offset: number; data: Buffer },
): Promise<Buffer | undefined> {
  if (log.data.length === 0) return undefined;
  const row = await tx.job.findFirst({ where: { id: jobId, tokenHash }, select: { logSize: true } });
  const skip = row ? row.logSize - log.offset : -1;
  return skip >= 0 && skip < log.data.length ? log.data.subarray(skip) : undefined;
}
