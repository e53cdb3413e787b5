/**
 * Stores one log upload `[start, start + data.length)`. Logs are append-only and acknowledged by
 * offset (`jobs.log_size`):
 * - `start == acked` → stored, acked advances (CAS on log_size, so concurrent retries store once);
 * - the bytes are already stored (`start + len <= acked`) → nothing stored, same answer (idempotent);
 * - anything else (gap, or overlap past acked) → range_mismatch with `{ acked }`: resend from there.
 * A job that is no longer running stores nothing but still answers with its status, which is how a
 * runner learns its job was canceled. An empty body is a heartbeat.
 *
 * Liveness: every upload and heartbeat of a running job is a sign of life (`jobs.heartbeat_at`, which
 * reconcile-jobs.ts reads to fail jobs whose runner died). A stored upload sets it in its log CAS
 * statement (the row is written anyway); a bare heartbeat writes only when the stored value is older
 * than {@link HEARTBEAT_THROTTLE_MS}, so the runner's 10 s heartbeats cost at most one small update.
 */
import type { Db, JobStatus } from "@minilab/db";
import { getRedis, publishLog } from "@minilab/queue";
import { AppError } from "../errors.ts";
import { hashJobToken } from "./job-token.ts";
import { insertLogChunk } from "./log-chunks.ts";

/** Statuses in which the runner still executes the job and its log uploads are stored. */
const LOGGING: ReadonlySet<JobStatus> = new Set<JobStatus>(["running", "canceling"]);

/** A bare heartbeat rewrites `heartbeat_at` only when it is at least this old. */
export const HEARTBEAT_THROTTLE_MS = 5_000;

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
  // A canceling job still runs after_script and uploads the rest of its log (cancel-job.ts).
  if (!LOGGING.has(job.status)) return { acked: job.logSize, status: job.status };
  const now = new Date();
  if (data.length === 0) {
    // Conditional on status too: a heartbeat must never touch a job that just finished.
    await db.job.updateMany({
      where: {
        id: jobId,
        status: { in: [...LOGGING] },
        OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: new Date(now.getTime() - HEARTBEAT_THROTTLE_MS) } }],
      },
      data: { heartbeatAt: now },
    });
    return { acked: job.logSize, status: job.status };
  }

  const stored = await db.$transaction(async (tx) => {
    const count = await tx.$executeRaw`
      UPDATE jobs SET log_size = log_size + ${data.length}, updated_at = now(), heartbeat_at = ${now}
      WHERE id = ${jobId} AND log_size = ${start} AND status IN ('running', 'canceling')`;
    if (count !== 1) return false;
    await insertLogChunk(tx, jobId, start, data);
    return true;
  });
  if (stored) {
    await publishLog(getRedis(), jobId, start, data).catch((e: unknown) =>
      console.error("minilab: publishing log failed", e),
    );
    return { acked: start + data.length, status: job.status };
  }

  const current = await db.job.findUniqueOrThrow({
    where: { id: jobId },
    select: { status: true, logSize: true },
  });
  if (!LOGGING.has(current.status) || start + data.length <= current.logSize)
    return { acked: current.logSize, status: current.status };
  throw new AppError("range_mismatch", `Log upload must start at ${current.logSize}, not ${start}`, {
    acked: current.logSize,
  });
}
