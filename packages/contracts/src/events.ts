/**
 * Live events published on Redis pub/sub for server-sent events. They are notifications only: the
 * truth is in Postgres, and a subscriber that missed one re-reads state from there.
 */
import { z } from "zod";

/** Log bytes appended to a job: `[offset, offset + data.length)`; `data` is base64. */
export const LogEvent = z.object({ offset: z.number().int(), data: z.string() });
export type LogEvent = z.infer<typeof LogEvent>;

export const StatusEvent = z.object({
  kind: z.enum(["pipeline", "job"]),
  id: z.number().int(),
  pipelineId: z.number().int(),
  projectId: z.number().int(),
  status: z.string(),
});
export type StatusEvent = z.infer<typeof StatusEvent>;

/** `event: pending` on a project stream opened with `?pending=<pipelineId>`: job id → reason sentence. */
export const PendingReasonsEvent = z.object({
  pipelineId: z.number().int(),
  reasons: z.record(z.string(), z.string()),
});
export type PendingReasonsEvent = z.infer<typeof PendingReasonsEvent>;

/**
 * A runner went offline (no contact within ONLINE_WINDOW_MS, see runner-api.ts) or came back, on the
 * `runnerPresence` channel: the admin runners page re-reads its table.
 */
export const RunnerPresenceEvent = z.object({ runnerId: z.number().int(), online: z.boolean() });
export type RunnerPresenceEvent = z.infer<typeof RunnerPresenceEvent>;

/** A user canceled a running job: the runner executing it must stop it (see runner-api.ts, "Cancel"). */
export const CancelEvent = z.object({ jobId: z.number().int().positive() });
export type CancelEvent = z.infer<typeof CancelEvent>;

/**
 * The pub/sub channel names of one installation. `prefix` is the installation's Redis key prefix
 * (`MINILAB_QUEUE_PREFIX`, the one its BullMQ queues use too; `minilab` when unset), so several
 * installations can share one Redis without hearing each other's events — pub/sub channels are
 * global to a Redis server, whatever database number a client selects. Web app, runner and
 * anything else subscribing must build names with the same prefix (`liveChannels()` in
 * @minilab/queue reads it from the environment).
 */
export function channelsFor(prefix?: string) {
  const p = prefix || "minilab";
  return {
    jobLog: (jobId: number) => `${p}:job:${jobId}:log`,
    projectStatus: (projectId: number) => `${p}:project:${projectId}:status`,
    /** One channel for every cancel: each runner subscribes once and looks up the jobs it runs. */
    jobCancel: `${p}:jobs:cancel`,
    /**
     * A bare notification (`{}`) on any job status change in any project, and when a runner comes
     * online or goes offline: what "why is this job pending" depends on beyond the job's own pipeline (queue
     * positions, busy or missing runners). It carries nothing, so it can reach any reader safely.
     */
    queueActivity: `${p}:jobs:activity`,
    /** A RunnerPresenceEvent whenever a runner goes offline or comes back online. */
    runnerPresence: `${p}:runners:presence`,
    /**
     * Redis keys (not channels) counting what the channels above were sent, each raised before its
     * message is published: a page reads one before its server render reads Postgres, its stream
     * sends it again once subscribed, and an equal count means the page missed nothing in between.
     */
    versions: {
      projectStatus: (projectId: number) => `${p}:project:${projectId}:status:version`,
      /** Every project's status events together (the home page follows many projects). */
      anyProjectStatus: `${p}:projects:status:version`,
      runnerPresence: `${p}:runners:presence:version`,
    },
  };
}

/** The channel names of an installation without a prefix of its own (`minilab:…`). */
export const channels = channelsFor();
