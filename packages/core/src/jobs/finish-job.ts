/**
 * Runner reports the end of a job: running → success/failed (CAS), token revoked, pipeline advanced.
 * Idempotent: finishing an already finished job answers with its status and changes nothing. Since
 * the token is cleared on finish, such a retry cannot be authenticated; answering it is harmless
 * because it neither reveals nor changes anything.
 */
import type { JobFinish } from "@minilab/contracts";
import type { Db, JobStatus } from "@minilab/db";
import { AppError } from "../errors.ts";
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
}

const FINISHED: ReadonlySet<JobStatus> = new Set(["success", "failed", "canceled", "skipped"]);

export async function finishJob(opts: FinishJobOptions): Promise<{ status: JobStatus }> {
  const { db, jobId, jobToken, state } = opts;
  const effects = noEffects();
  const status = await db.$transaction(async (tx) => {
    const completed = await completeJob(tx, {
      jobId,
      state,
      where: { tokenHash: hashJobToken(jobToken) },
      exitCode: opts.exitCode ?? null,
      failureReason: opts.failureReason,
      effects,
    });
    // A job canceled while running ends canceled whatever the runner reports (complete-job.ts).
    if (completed)
      return (await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })).status;
    const job = await tx.job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (!job) throw new AppError("not_found", "Job not found");
    if (FINISHED.has(job.status)) return job.status;
    if (job.status === "running" || job.status === "canceling")
      throw new AppError("forbidden", "Invalid job token");
    throw new AppError("conflict", `Job is ${job.status}, not running`, { status: job.status });
  });
  await runEffects(effects);
  return { status };
}
