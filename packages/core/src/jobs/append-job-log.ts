/**
 * Stores one log upload `[start, start + data.length)`. Logs are append-only and acknowledged by
 * offset (`jobs.log_size`):
 * - `start == acked` → stored, acked advances (CAS on log_size, so concurrent retries store once);
 * - the bytes are already stored (`start + len <= acked`) → nothing stored, same answer (idempotent);
 * - anything else (gap, or overlap past acked) → range_mismatch with `{ acked }`: resend from there.
 * A job that is no longer running stores nothing but still answers with its status, which is how a
 * runner learns its job was canceled. An empty body is a heartbeat.
 */
import type { Db, JobStatus } from "@minilab/db";
import { getRedis, publishLog } from "@minilab/queue";
import { AppError } from "../errors.ts";
import { hashJobToken } from "./job-token.ts";

export interface AppendJobLogOptions {
  db: Db;
  jobId: number;
  jobToken: string;
  start: number;
  data: Buffer;
}

export interface AppendJobLogResult {
  /** Bytes stored so far; the next upload starts here. */
  acked: number;
  status: JobStatus;
}

export async function appendJobLog({
  db,
  jobId,
  jobToken,
  start,
  data,
}: AppendJobLogOptions): Promise<AppendJobLogResult> {
  // The token hash stays on the row until the job finishes, so a canceled job can still be told so.
  const job = jobToken
    ? await db.job.findFirst({
        where: { id: jobId, tokenHash: hashJobToken(jobToken) },
        select: { status: true, logSize: true },
      })
    : null;
  if (!job) throw new AppError("forbidden", "Invalid job token");
  if (job.status !== "running" || data.length === 0) return { acked: job.logSize, status: job.status };

  const stored = await db.$transaction(async (tx) => {
    const count = await tx.$executeRaw`
      UPDATE jobs SET log_size = log_size + ${data.length}, updated_at = now()
      WHERE id = ${jobId} AND log_size = ${start} AND status = 'running'`;
    if (count !== 1) return false;
    await tx.jobLogChunk.create({ data: { jobId, offset: start, data: new Uint8Array(data) } });
    return true;
  });
  if (stored) {
    await publishLog(getRedis(), jobId, start, data).catch((e: unknown) =>
      console.error("minilab: publishing log failed", e),
    );
    return { acked: start + data.length, status: "running" };
  }

  const now = await db.job.findUniqueOrThrow({
    where: { id: jobId },
    select: { status: true, logSize: true },
  });
  if (now.status !== "running" || start + data.length <= now.logSize)
    return { acked: now.logSize, status: now.status };
  throw new AppError("range_mismatch", `Log upload must start at ${now.logSize}, not ${start}`, {
    acked: now.logSize,
  });
}
