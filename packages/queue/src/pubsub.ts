/**
 * Live notifications over Redis pub/sub (see @minilab/contracts events). Fire-and-forget: subscribers
 * that miss a message re-read Postgres, so publishing never blocks or fails a use-case.
 */
import {
  channelsFor,
  type CancelEvent,
  type LogEvent,
  type RunnerPresenceEvent,
  type StatusEvent,
} from "@minilab/contracts";
import { createRedis, type Redis } from "./redis.ts";

/**
 * This installation's channel names: prefixed with `MINILAB_QUEUE_PREFIX` like its BullMQ queues
 * (see channelsFor in @minilab/contracts).
 */
export const liveChannels = (): ReturnType<typeof channelsFor> =>
  channelsFor(process.env["MINILAB_QUEUE_PREFIX"] || undefined);

export async function publishLog(redis: Redis, jobId: number, offset: number, bytes: Buffer): Promise<void> {
  const event: LogEvent = { offset, data: bytes.toString("base64") };
  await redis.publish(liveChannels().jobLog(jobId), JSON.stringify(event));
}

export async function publishStatus(redis: Redis, event: StatusEvent): Promise<void> {
  await publishBatch(redis, { events: [event] });
}

/** The bare `queueActivity` notification (see channelsFor in @minilab/contracts). */
export async function publishQueueActivity(redis: Redis): Promise<void> {
  await redis.publish(liveChannels().queueActivity, "{}");
}

/** A runner went offline or came back: admin pages hear it, and pending reasons are recomputed. */
export async function publishRunnerPresence(redis: Redis, event: RunnerPresenceEvent): Promise<void> {
  const ch = liveChannels();
  await exec(
    redis
      .pipeline()
      .incr(ch.versions.runnerPresence)
      .publish(ch.runnerPresence, JSON.stringify(event))
      .publish(ch.queueActivity, "{}"),
  );
}

/**
 * What `channel`'s version key (see channelsFor's `versions`) counts now: "0" before any message.
 * Read it before the Postgres reads it vouches for.
 */
export async function liveVersion(redis: Redis, key: string): Promise<string> {
  return (await redis.get(key)) ?? "0";
}

/**
 * Several notifications in one round trip (one write, one pipeline): cancels, then log appends, then
 * status events, then — when a job's status is among them — one `queueActivity`, in that order, as
 * the single-message functions above would publish them one by one. Each status event first raises
 * its project's version and the installation-wide one: commands on one connection run in order, so a
 * stream that subscribed too late for a message reads a raised version afterwards.
 */
export async function publishBatch(
  redis: Redis,
  batch: {
    cancels?: readonly number[];
    logs?: readonly { jobId: number; offset: number; data: Buffer }[];
    events?: readonly StatusEvent[];
  },
): Promise<void> {
  const ch = liveChannels();
  const pipe = redis.pipeline();
  for (const jobId of batch.cancels ?? [])
    pipe.publish(ch.jobCancel, JSON.stringify({ jobId } satisfies CancelEvent));
  for (const l of batch.logs ?? [])
    pipe.publish(
      ch.jobLog(l.jobId),
      JSON.stringify({ offset: l.offset, data: l.data.toString("base64") } satisfies LogEvent),
    );
  const events = batch.events ?? [];
  for (const e of events)
    pipe
      .incr(ch.versions.projectStatus(e.projectId))
      .incr(ch.versions.anyProjectStatus)
      .publish(ch.projectStatus(e.projectId), JSON.stringify(e));
  // Job changes anywhere move queue positions and runner load ("why is this job pending").
  if (events.some((e) => e.kind === "job")) pipe.publish(ch.queueActivity, "{}");
  if (pipe.length > 0) await exec(pipe);
}

async function exec(pipe: ReturnType<Redis["pipeline"]>): Promise<void> {
  const results = (await pipe.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
}

/** Tells runners to stop a job the server moved to `canceling` (runners fall back on trace responses). */
export async function publishCancel(redis: Redis, jobId: number): Promise<void> {
  const event: CancelEvent = { jobId };
  await redis.publish(liveChannels().jobCancel, JSON.stringify(event));
}

/**
 * Subscribes on a dedicated connection (a subscribed ioredis connection cannot run other commands).
 * Resolves once the subscription is active; the returned function unsubscribes and closes it.
 */
export async function subscribe(
  url: string,
  channel: string,
  onMessage: (message: string) => void,
): Promise<() => Promise<void>> {
  const sub = createRedis(url);
  sub.on("message", (ch: string, message: string) => {
    if (ch === channel) onMessage(message);
  });
  try {
    await sub.subscribe(channel);
  } catch (e) {
    sub.disconnect();
    throw e;
  }
  return async () => {
    await sub.unsubscribe(channel).catch(() => undefined);
    await sub.quit().catch(() => undefined);
  };
}
