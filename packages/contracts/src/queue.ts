/** Queue names and payloads shared by the producer (core, in apps/web) and the consumer (apps/runner). */
import { z } from "zod";

/** The BullMQ queue that carries jobs whose Postgres row is `pending`. */
export const JOBS_QUEUE = "minilab-jobs";

export const JobDispatch = z.object({ jobId: z.number().int().positive() });
export type JobDispatch = z.infer<typeof JobDispatch>;

/** BullMQ job id for a CI job: enqueueing the same CI job twice is a no-op. */
export const dispatchId = (jobId: number): string => `job-${jobId}`;

/**
 * Tag routing: a job with tags goes on a queue of its own tag set, so only runners holding every tag
 * consume it; untagged jobs stay on {@link JOBS_QUEUE}. BullMQ forbids `:` in queue names, and tags
 * may contain anything, so the name carries a hash of the sorted, de-duplicated set.
 */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort();
}

/** Redis set (under the BullMQ prefix) of every tag set ever enqueued, as JSON arrays; runners watch it. */
export const TAG_SETS_KEY = "minilab:tag-sets";
