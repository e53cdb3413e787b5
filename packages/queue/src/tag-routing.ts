/**
 * Producer side of tag routing (see `normalizeTags` in @minilab/contracts): a dispatch goes on the
 * queue of its job's tag set, and the tag set is recorded in a Redis set so runners discover queues
 * they should consume. The set is written before the dispatch, so a runner that sees a dispatch's
 * queue name can always find it. Untagged jobs use the original queue, unchanged.
 */
import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import { JOBS_QUEUE, TAG_SETS_KEY, normalizeTags, type JobDispatch } from "@minilab/contracts";
import type { Redis } from "./redis.ts";
import { enqueueJobs, missingDispatches, type QueueOptions } from "./jobs-queue.ts";

export interface RoutedDispatch {
  jobId: number;
  tags: readonly string[];
}

/** The queue for a normalized tag set. */
export function queueNameForTags(tags: readonly string[]): string {
  const set = normalizeTags(tags);
  if (set.length === 0) return JOBS_QUEUE;
  return `${JOBS_QUEUE}-t-${createHash("sha256").update(JSON.stringify(set)).digest("hex").slice(0, 24)}`;
}

export const tagSetsKey = (prefix: string | undefined): string => `${prefix ?? "bull"}:${TAG_SETS_KEY}`;

/** Every tag set enqueued so far (normalized). */
export async function knownTagSets(redis: Redis, prefix: string | undefined): Promise<string[][]> {
  const members = await redis.smembers(tagSetsKey(prefix));
  return members.map((m) => JSON.parse(m) as string[]);
}

/** Queues per tag set, created lazily and kept for reuse. */
export class RoutedQueues {
  readonly #queues = new Map<string, Queue<JobDispatch>>();
  constructor(
    private readonly redis: Redis,
    private readonly opts: QueueOptions = {},
  ) {}

  queueFor(tags: readonly string[]): Queue<JobDispatch> {
    const name = queueNameForTags(tags);
    let q = this.#queues.get(name);
    if (!q) {
      q = new Queue<JobDispatch>(name, {
        connection: this.redis,
        ...(this.opts.prefix ? { prefix: this.opts.prefix } : {}),
      });
      this.#queues.set(name, q);
    }
    return q;
  }

  /** Enqueues each dispatch on its tag set's queue; idempotent like {@link enqueueJobs}. */
  async enqueue(items: readonly RoutedDispatch[]): Promise<void> {
    for (const [key, ids] of groupByTags(items)) {
      const tags = JSON.parse(key) as string[];
      if (tags.length > 0) await this.redis.sadd(tagSetsKey(this.opts.prefix), key);
      await enqueueJobs(this.queueFor(tags), ids);
    }
  }

  /** The dispatches among `items` that are on no queue in any state (for re-enqueueing lost ones). */
  async missing(items: readonly RoutedDispatch[]): Promise<RoutedDispatch[]> {
    const out: RoutedDispatch[] = [];
    for (const [key, ids] of groupByTags(items)) {
      const tags = JSON.parse(key) as string[];
      for (const jobId of await missingDispatches(this.queueFor(tags), ids)) out.push({ jobId, tags });
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
  }
}

function groupByTags(items: readonly RoutedDispatch[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const { jobId, tags } of items) {
    const key = JSON.stringify(normalizeTags(tags));
    groups.set(key, [...(groups.get(key) ?? []), jobId]);
  }
  return groups;
}
