/** Queue names and payloads shared by the producer (core, in apps/web) and the consumer (apps/runner). */
import { z } from "zod";

/** The BullMQ queue that carries jobs whose Postgres row is `pending`. */
export const JOBS_QUEUE = "minilab-jobs";

export const JobDispatch = z.object({ jobId: z.number().int().positive() });
export type JobDispatch = z.infer<typeof JobDispatch>;

/** BullMQ job id for a CI job: enqueueing the same CI job twice is a no-op. */
export const dispatchId = (jobId: number): string => `job-${jobId}`;
