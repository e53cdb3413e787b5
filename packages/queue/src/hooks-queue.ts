/**
 * Queues of outgoing webhooks (see contracts/src/hooks.ts). Events are keyed by their uuid and
 * deliveries by their delivery id, so adding the same one twice is a no-op while it is still queued.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import {
  HOOK_DELIVERIES_QUEUE,
  HOOK_EVENTS_QUEUE,
  type HookDeliveryDispatch,
  type HookEvent,
} from "@minilab/contracts";
import type { QueueOptions } from "./jobs-queue.ts";

export interface HookQueues {
  events: Queue<HookEvent>;
  deliveries: Queue<HookDeliveryDispatch>;
  close(): Promise<void>;
}

export interface HookRetryOptions {
  /** Tries per delivery, the first included. @defaultValue 4 */
  attempts?: number;
  /** First retry delay; doubles each time (1 s, 2 s, 4 s…). @defaultValue 1_000 */
  backoffMs?: number;
}

export function hookQueues(connection: ConnectionOptions, opts: QueueOptions = {}): HookQueues {
  const prefix = opts.prefix ? { prefix: opts.prefix } : {};
  const events = new Queue<HookEvent>(HOOK_EVENTS_QUEUE, { connection, ...prefix });
  const deliveries = new Queue<HookDeliveryDispatch>(HOOK_DELIVERIES_QUEUE, { connection, ...prefix });
  return {
    events,
    deliveries,
    close: async () => {
      await Promise.all([events.close(), deliveries.close()]);
    },
  };
}

/** Completed items linger an hour (dedup window), failed ones a day (inspection). */
const KEEP = { removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 } };

export async function enqueueHookEvents(queues: HookQueues, events: readonly HookEvent[]): Promise<void> {
  if (events.length === 0) return;
  await queues.events.addBulk(
    events.map((e) => ({
      name: e.kind,
      data: e,
      opts: { jobId: `event-${e.uuid}`, attempts: 5, backoff: { type: "exponential", delay: 1000 }, ...KEEP },
    })),
  );
}

export async function enqueueHookDeliveries(
  queues: HookQueues,
  deliveryIds: readonly string[],
  retry: HookRetryOptions = {},
): Promise<void> {
  if (deliveryIds.length === 0) return;
  await queues.deliveries.addBulk(
    deliveryIds.map((deliveryId) => ({
      name: "deliver",
      data: { deliveryId },
      opts: {
        jobId: `delivery-${deliveryId}`,
        attempts: retry.attempts ?? 4,
        backoff: { type: "exponential", delay: retry.backoffMs ?? 1000 },
        ...KEEP,
      },
    })),
  );
}

export interface HookWorkers {
  close(): Promise<void>;
}

/** Consumers of both queues. A processor that throws makes BullMQ retry the item with its backoff. */
export function createHookWorkers(
  connection: ConnectionOptions,
  processors: {
    event: (job: Job<HookEvent>) => Promise<void>;
    delivery: (job: Job<HookDeliveryDispatch>) => Promise<void>;
  },
  opts: QueueOptions & { concurrency?: number } = {},
): HookWorkers {
  const prefix = opts.prefix ? { prefix: opts.prefix } : {};
  const events = new Worker<HookEvent>(HOOK_EVENTS_QUEUE, processors.event, {
    connection,
    concurrency: 4,
    ...prefix,
  });
  const deliveries = new Worker<HookDeliveryDispatch>(HOOK_DELIVERIES_QUEUE, processors.delivery, {
    connection,
    concurrency: opts.concurrency ?? 8,
    ...prefix,
  });
  // Errors surface per item through the processors; a worker-level error (Redis gone) is logged.
  for (const w of [events, deliveries]) w.on("error", (e) => console.error("minilab hooks worker:", e));
  return {
    close: async () => {
      await Promise.all([events.close(), deliveries.close()]);
    },
  };
}
