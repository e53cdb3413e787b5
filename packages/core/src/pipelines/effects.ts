/**
 * What a committed state change must tell the outside world. Use-cases collect effects inside their
 * transaction and run them only after it commits, so Redis never announces (or dispatches) a state
 * Postgres does not hold.
 */
import type { StatusEvent } from "@minilab/contracts";
import { enqueueJobs, getJobsQueue, getRedis, publishStatus } from "@minilab/queue";

export interface Effects {
  /** Jobs whose row became `pending`: each needs a dispatch on the jobs queue. */
  enqueue: number[];
  events: StatusEvent[];
}

export const noEffects = (): Effects => ({ enqueue: [], events: [] });

/**
 * Enqueue failures propagate (the caller must know a pending job has no dispatch); status events are
 * notifications only, so a failed publish is logged and does not fail the use-case.
 */
export async function runEffects(effects: Effects): Promise<void> {
  if (effects.enqueue.length > 0) await enqueueJobs(getJobsQueue(), effects.enqueue);
  if (effects.events.length === 0) return;
  const redis = getRedis();
  await Promise.all(
    effects.events.map((e) =>
      publishStatus(redis, e).catch((err: unknown) =>
        console.error("minilab: publishing status event failed", err),
      ),
    ),
  );
}
