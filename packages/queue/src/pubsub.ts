/**
 * Live notifications over Redis pub/sub (see @minilab/contracts events). Fire-and-forget: subscribers
 * that miss a message re-read Postgres, so publishing never blocks or fails a use-case.
 */
import { channelsFor, type CancelEvent, type LogEvent, type StatusEvent } from "@minilab/contracts";
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
  await redis.publish(liveChannels().projectStatus(event.projectId), JSON.stringify(event));
  // Job changes anywhere move queue positions and runner load ("why is this job pending").
  if (event.kind === "job") await publishQueueActivity(redis);
}

/** The bare `queueActivity` notification (see channelsFor in @minilab/contracts). */
export async function publishQueueActivity(redis: Redis): Promise<void> {
  await redis.publish(liveChannels().queueActivity, "{}");
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
