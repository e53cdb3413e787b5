/**
 * The jobs queue: carries `{ jobId }` for CI jobs whose Postgres row is already `pending`. Postgres is
 * the truth; a lost queue item is recovered by re-enqueueing pending rows, and a duplicate is harmless
 * because the BullMQ job id is derived from the CI job id and the runner's claim is a compare-and-set.
 */
import { Queue, Worker, type ConnectionOptions, type Job, type Processor } from "bullmq";
import { JOBS_QUEUE, dispatchId, type JobDispatch } from "@minilab/contracts";

export interface QueueOptions {
  /** Redis key prefix; tests use a unique one per run. @defaultValue `bull` */
  prefix?: string;
}

export type JobsQueue = Queue<JobDispatch>;

export function jobsQueue(connection: ConnectionOptions, opts: QueueOptions = {}): JobsQueue {
  return new Queue<JobDispatch>(JOBS_QUEUE, { connection, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
}

/** Enqueues dispatches for CI jobs. Re-enqueueing a job that is still queued is a no-op. */
export async function enqueueJobs(queue: JobsQueue, jobIds: readonly number[]): Promise<void> {
  if (jobIds.length === 0) return;
  await queue.addBulk(
    jobIds.map((jobId) => ({
      name: "dispatch",
      data: { jobId },
      // Removing finished items lets a later retry of the same CI job id be enqueued again.
      opts: { jobId: dispatchId(jobId), removeOnComplete: true, removeOnFail: true },
    })),
  );
}

/**
 * The CI job ids among `jobIds` that have no dispatch on the queue in any state (waiting, active,
 * delayed…). Racy by nature — a dispatch may appear right after — which is fine for its one use,
 * re-enqueueing lost dispatches, because enqueueing is idempotent.
 */
export async function missingDispatches(queue: JobsQueue, jobIds: readonly number[]): Promise<number[]> {
  const states = await Promise.all(jobIds.map((id) => queue.getJobState(dispatchId(id))));
  return jobIds.filter((_, i) => states[i] === "unknown");
}

export interface JobsWorkerOptions extends QueueOptions {
  /** CI jobs this runner process executes at once. @defaultValue 1 */
  concurrency?: number;
}

/** The runner side: consumes dispatches. The processor should claim the job and run it to the end. */
export function createJobsWorker(
  connection: ConnectionOptions,
  processor: (job: Job<JobDispatch>) => Promise<void>,
  opts: JobsWorkerOptions = {},
): Worker<JobDispatch> {
  return new Worker<JobDispatch>(JOBS_QUEUE, processor as Processor<JobDispatch>, {
    connection,
    concurrency: opts.concurrency ?? 1,
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
  });
}
