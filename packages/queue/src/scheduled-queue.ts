/**
 * Timers for `when: delayed` jobs: a BullMQ delayed item per scheduled CI job, due at its
 * `scheduled_at`. The consumer (core's reconciler loop, in the web app) promotes the job with a
 * compare-and-set; Postgres stays the truth, so a lost timer is recovered by the reconciler's sweep of
 * due `scheduled` rows, and an early or duplicate one changes nothing.
 */
import { Queue, Worker, type Job } from "bullmq";
import { getRedis } from "./shared.ts";

export const SCHEDULED_QUEUE = "minilab-scheduled";

export interface ScheduledTimer {
  jobId: number;
  at: Date;
}

const g = globalThis as { __minilabScheduledQueue?: Queue<{ jobId: number }> };
const prefix = (): string | undefined => process.env["MINILAB_QUEUE_PREFIX"] || undefined;

function scheduledQueue(): Queue<{ jobId: number }> {
  const p = prefix();
  return (g.__minilabScheduledQueue ??= new Queue(SCHEDULED_QUEUE, {
    connection: getRedis(),
    ...(p ? { prefix: p } : {}),
  }));
}

/** One delayed item per (job, due time): rescheduling the same job at another time adds another. */
export async function addScheduledTimers(timers: readonly ScheduledTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await scheduledQueue().addBulk(
    timers.map(({ jobId, at }) => ({
      name: "promote",
      data: { jobId },
      opts: {
        jobId: `sched-${jobId}-${at.getTime()}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        removeOnComplete: true,
        removeOnFail: true,
      },
    })),
  );
}

/** Consumes due timers; `promote` must be idempotent. Close the worker to stop. */
export function createScheduledWorker(
  promote: (jobId: number) => Promise<void>,
  onError?: (err: Error) => void,
): Worker<{ jobId: number }> {
  const p = prefix();
  const w = new Worker<{ jobId: number }>(
    SCHEDULED_QUEUE,
    (job: Job<{ jobId: number }>) => promote(job.data.jobId),
    {
      connection: getRedis(),
      concurrency: 4,
      ...(p ? { prefix: p } : {}),
    },
  );
  if (onError) w.on("error", onError);
  return w;
}

/** Closes the shared scheduled queue (tests, shutdown). */
export async function closeScheduledQueue(): Promise<void> {
  await g.__minilabScheduledQueue?.close();
  g.__minilabScheduledQueue = undefined;
}
