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
export {
  RoutedQueues,
  queueNameForTags,
  knownTagSets,
  tagSetsKey,
  type RoutedDispatch,
} from "./tag-routing.ts";
export { createTaggedWorkers, type TaggedWorkers, type TaggedWorkersOptions } from "./tagged-workers.ts";
export {
  liveChannels,
  liveVersion,
  publishBatch,
  publishCancel,
  publishLog,
  publishQueueActivity,
  publishRunnerPresence,
  publishStatus,
  subscribe,
} from "./pubsub.ts";
export { getRedis, getJobsQueue, getRoutedQueues, closeShared } from "./shared.ts";
export {
  SCHEDULED_QUEUE,
  addScheduledTimers,
  createScheduledWorker,
  closeScheduledQueue,
  type ScheduledTimer,
} from "./scheduled-queue.ts";
export {
  hookQueues,
  enqueueHookEvents,
  enqueueHookDeliveries,
  createHookWorkers,
  type HookQueues,
  type HookWorkers,
  type HookRetryOptions,
} from "./hooks-queue.ts";
