/**
 * Consumer side of tag routing: one BullMQ worker per queue this runner may serve — the untagged
 * queue when `runUntagged`, and every tag-set queue whose tags are all among the runner's. New tag
 * sets appear while the runner runs, so the tag-set registry is re-read every `pollMs`.
 *
 * Concurrency is a single budget across all workers: each worker may fetch up to `concurrency`
 * dispatches, but a shared semaphore lets only `concurrency` processors run at once. A dispatch
 * waiting for a slot stays locked to this runner (BullMQ renews its lock) — acceptable, since a
 * runner only ever fetches while it has a free slot or is about to have one.
 */
import { Worker, type Job } from "bullmq";
import { JOBS_QUEUE, type JobDispatch } from "@minilab/contracts";
import type { Redis } from "./redis.ts";
import { knownTagSets, queueNameForTags } from "./tag-routing.ts";

export interface TaggedWorkersOptions {
  /** The runner's tags (normalized or not). */
  tags: readonly string[];
  runUntagged: boolean;
  /** CI jobs run at once across all queues. @defaultValue 1 */
  concurrency?: number;
  prefix?: string;
  /** How often to look for new tag sets. @defaultValue 5000 */
  pollMs?: number;
  onError?: (err: Error) => void;
}

export interface TaggedWorkers {
  /** Queue names currently consumed. */
  queues(): string[];
  /** Re-reads the tag-set registry now (also done every pollMs). */
  refresh(): Promise<void>;
  /** Stops fetching and resolves once every running processor has returned. */
  close(): Promise<void>;
}

export async function createTaggedWorkers(
  redis: Redis,
  processor: (job: Job<JobDispatch>) => Promise<void>,
  opts: TaggedWorkersOptions,
): Promise<TaggedWorkers> {
  const concurrency = opts.concurrency ?? 1;
  const mine = new Set(opts.tags.map((t) => t.trim()).filter(Boolean));
  const workers = new Map<string, Worker<JobDispatch>>();
  const slots = semaphore(concurrency);
  let closed = false;

  const start = (name: string): void => {
    if (closed || workers.has(name)) return;
    const w = new Worker<JobDispatch>(
      name,
      async (job) => {
        const release = await slots.acquire();
        try {
          await processor(job);
        } finally {
          release();
        }
      },
      {
        connection: redis,
        concurrency,
        ...(opts.prefix ? { prefix: opts.prefix } : {}),
      },
    );
    w.on("error", (err) => opts.onError?.(err));
    workers.set(name, w);
  };

  const refresh = async (): Promise<void> => {
    for (const set of await knownTagSets(redis, opts.prefix)) {
      if (set.length > 0 && set.every((t) => mine.has(t))) start(queueNameForTags(set));
    }
  };

  if (opts.runUntagged) start(JOBS_QUEUE);
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => opts.onError?.(err instanceof Error ? err : new Error(String(err))));
  }, opts.pollMs ?? 5000);
  timer.unref();

  return {
    queues: () => [...workers.keys()].sort(),
    refresh,
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.all([...workers.values()].map((w) => w.close()));
    },
  };
}

function semaphore(size: number): { acquire(): Promise<() => void> } {
  let free = size;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve(release);
      }
      return new Promise((resolve) => waiting.push(() => resolve(release)));
    },
  };
}
