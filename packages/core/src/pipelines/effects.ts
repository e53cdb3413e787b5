/**
 * What a committed state change must tell the outside world. Use-cases collect effects inside their
 * transaction and run them only after it commits, so Redis never announces (or dispatches) a state
 * Postgres does not hold.
 */
import type { StatusEvent } from "@minilab/contracts";
import { getRedis, getRoutedQueues, publishLog, publishStatus } from "@minilab/queue";

/** Log bytes a use-case stored as a chunk at `offset`, for the live tail. */
export interface LogAppend {
  jobId: number;
  offset: number;
  data: Buffer;
}

export interface Effects {
  /** Jobs whose row became `pending`: each needs a dispatch on the jobs queue. */
  enqueue: number[];
  /** Runner tags of enqueued jobs (see core/runners/job-tags.ts); absent = untagged. */
  enqueueTags?: Map<number, string[]>;
  events: StatusEvent[];
  logs: LogAppend[];
}

export const noEffects = (): Effects => ({ enqueue: [], events: [], logs: [] });

/**
 * Enqueue failures propagate (the caller must know a pending job has no dispatch); log and status
 * events are notifications only, so a failed publish is logged and does not fail the use-case. Logs
 * are published before status events so a live tail shows a job's last line before its end.
 */
export async function runEffects(effects: Effects): Promise<void> {
  if (effects.enqueue.length > 0)
    await getRoutedQueues().enqueue(
      effects.enqueue.map((jobId) => ({ jobId, tags: effects.enqueueTags?.get(jobId) ?? [] })),
    );
  if (effects.events.length === 0 && effects.logs.length === 0) return;
  const redis = getRedis();
  const report = (what: string) => (err: unknown) => console.error(`minilab: publishing ${what} failed`, err);
  await Promise.all(
    effects.logs.map((l) => publishLog(redis, l.jobId, l.offset, l.data).catch(report("log"))),
  );
  await Promise.all(effects.events.map((e) => publishStatus(redis, e).catch(report("status event"))));
}
