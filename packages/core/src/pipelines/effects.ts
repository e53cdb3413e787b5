/**
 * What a committed state change must tell the outside world. Use-cases collect effects inside their
 * transaction and run them only after it commits, so Redis never announces (or dispatches) a state
 * Postgres does not hold.
 */
import type { StatusEvent } from "@minilab/contracts";
import { emitHookEvents } from "../hooks/event-sink.ts";
import { addScheduledTimers, getRedis, getRoutedQueues, publishBatch } from "@minilab/queue";

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
  /** Running jobs moved to `canceling`: their runners are told on the cancel channel. */
  cancels?: number[];
  /** `when: delayed` jobs that became `scheduled`: each needs a timer for its `scheduled_at`. */
  schedule?: { jobId: number; at: Date }[];
  /**
   * Projects the use-case found, in its transaction, to have no webhook taking job or pipeline
   * events: their status events skip the hook-events queue (its fan-out would find no hook) and go
   * to the live channels only. A hook saved concurrently with the change is not sent it — as if it
   * had been saved just after.
   */
  hooklessProjects?: Set<number>;
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
  // A lost timer is recovered by the reconciler's sweep of due scheduled jobs, so this may propagate too.
  if (effects.schedule && effects.schedule.length > 0) await addScheduledTimers(effects.schedule);
  const cancels = effects.cancels ?? [];
  if (effects.events.length === 0 && effects.logs.length === 0 && cancels.length === 0) return;
  const redis = getRedis();
  const report = (what: string) => (err: unknown) => console.error(`minilab: publishing ${what} failed`, err);
  // One round trip for all of them. A lost cancel message only delays the runner until its next
  // trace response says `canceling`.
  await publishBatch(redis, { cancels, logs: effects.logs, events: effects.events }).catch(
    report("cancel, log and status events"),
  );
  // Webhooks (Pipeline Hook, Job Hook) learn about the same committed status changes.
  const hookless = effects.hooklessProjects;
  await emitHookEvents(
    (hookless ? effects.events.filter((e) => !hookless.has(e.projectId)) : effects.events).map((e) =>
      e.kind === "pipeline"
        ? { kind: "pipeline" as const, projectId: e.projectId, pipelineId: e.pipelineId, status: e.status }
        : {
            kind: "job" as const,
            projectId: e.projectId,
            pipelineId: e.pipelineId,
            jobId: e.id,
            status: e.status,
          },
    ),
  );
}
