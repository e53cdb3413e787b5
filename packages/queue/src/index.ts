export { createRedis, type Redis } from "./redis.ts";
export {
  jobsQueue,
  enqueueJobs,
  missingDispatches,
  createJobsWorker,
  type JobsQueue,
  type QueueOptions,
  type JobsWorkerOptions,
} from "./jobs-queue.ts";
export { publishLog, publishStatus, subscribe } from "./pubsub.ts";
export { getRedis, getJobsQueue, closeShared } from "./shared.ts";
