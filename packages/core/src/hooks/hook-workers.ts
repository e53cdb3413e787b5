/**
 * The webhook machinery of the web process: installs the event sink (events → hook-events queue) and
 * consumes both hook queues. Fan-out items retry on errors (a database hiccup); delivery items retry
 * failed attempts with exponential backoff until their last attempt (see deliver.ts).
 */
import { getDb, type Db } from "@minilab/db";
import {
  createHookWorkers,
  enqueueHookDeliveries,
  enqueueHookEvents,
  getRedis,
  hookQueues,
  type HookRetryOptions,
} from "@minilab/queue";
import { deliverHook } from "./deliver.ts";
import { setHookEventSink } from "./event-sink.ts";
import { fanOutHookEvent } from "./fan-out.ts";

export interface StartHookWorkersOptions {
  /** @defaultValue `getDb()` */
  db?: Db;
  /** @defaultValue the shared Redis connection (REDIS_URL) */
  connection?: Parameters<typeof hookQueues>[0];
  /** BullMQ key prefix. @defaultValue env MINILAB_QUEUE_PREFIX or BullMQ's */
  prefix?: string;
  retry?: HookRetryOptions;
}

/** Starts consuming; the returned function stops the workers and removes the sink. */
export function startHookWorkers(opts: StartHookWorkersOptions = {}): () => Promise<void> {
  const connection = opts.connection ?? getRedis();
  const prefix = opts.prefix ?? process.env["MINILAB_QUEUE_PREFIX"];
  const qopts = prefix ? { prefix } : {};
  const queues = hookQueues(connection, qopts);
  const db = (): Db => opts.db ?? getDb();
  setHookEventSink((events) => enqueueHookEvents(queues, events));
  const workers = createHookWorkers(
    connection,
    {
      event: async (job) => {
        const ids = await fanOutHookEvent(db(), job.data);
        await enqueueHookDeliveries(queues, ids, opts.retry);
      },
      delivery: async (job) => {
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const outcome = await deliverHook({ db: db(), deliveryId: job.data.deliveryId, final });
        // Throwing hands the item back to BullMQ, which retries it after the backoff.
        if (outcome.state === "retry") throw new Error(`webhook delivery failed: ${outcome.error}`);
      },
    },
    qopts,
  );
  return async () => {
    setHookEventSink(undefined);
    await workers.close();
    await queues.close();
  };
}
