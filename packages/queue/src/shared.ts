/**
 * Process-wide lazy connections for the web app. Next.js may evaluate modules more than once in dev,
 * so the instances live on globalThis.
 */
import { createRedis, type Redis } from "./redis.ts";
import { jobsQueue, type JobsQueue } from "./jobs-queue.ts";
import { RoutedQueues } from "./tag-routing.ts";

interface Shared {
  redis?: Redis;
  queue?: JobsQueue;
  routed?: RoutedQueues;
}
const g = globalThis as { __minilabQueue?: Shared };
const shared = (): Shared => (g.__minilabQueue ??= {});

function redisUrl(): string {
  const url = process.env["REDIS_URL"];
  if (!url) throw new Error("REDIS_URL is not set");
  return url;
}

export function getRedis(): Redis {
  return (shared().redis ??= createRedis(redisUrl()));
}

export function getJobsQueue(): JobsQueue {
  const prefix = process.env["MINILAB_QUEUE_PREFIX"];
  return (shared().queue ??= jobsQueue(getRedis(), prefix ? { prefix } : {}));
}

/** Tag-routed queues (see tag-routing.ts) on the shared connection. */
export function getRoutedQueues(): RoutedQueues {
  const prefix = process.env["MINILAB_QUEUE_PREFIX"];
  return (shared().routed ??= new RoutedQueues(getRedis(), prefix ? { prefix } : {}));
}

/** Closes the shared connections (tests, graceful shutdown). */
export async function closeShared(): Promise<void> {
  const s = shared();
  await s.queue?.close();
  await s.routed?.close();
  await s.redis?.quit().catch(() => undefined);
  g.__minilabQueue = {};
}
