export { claimJob, type ClaimJobOptions } from "./claim-job.ts";
export { authenticateJobToken, type AuthenticateJobTokenOptions } from "./authenticate-job-token.ts";
export { appendJobLog, type AppendJobLogOptions, type AppendJobLogResult } from "./append-job-log.ts";
export { finishJob, type FinishJobOptions } from "./finish-job.ts";
export { readJobLog, type ReadJobLogOptions } from "./read-job-log.ts";
export { parseJobId, JOB_TOKEN_PREFIX } from "./job-token.ts";
export {
  reconcileJobs,
  TIMEOUT_GRACE_MS,
  PENDING_GRACE_MS,
  STALE_AFTER_MS,
  STUCK_PENDING_MS,
  type ReconcileJobsOptions,
  type ReconcileJobsResult,
} from "./reconcile-jobs.ts";
export { startReconciler, type StartReconcilerOptions, type ReconcilerLog } from "./reconciler-loop.ts";
export { LIVENESS_BEAT_MS, LIVENESS_GAP_MS, readWebUpSince, recordWebLiveness } from "./web-liveness.ts";
export { readJobLogWindow, type ReadJobLogWindowOptions, type JobLogWindow } from "./read-job-log-window.ts";
export { retryJob, RETRYABLE, type RetryJobOptions } from "./retry-job.ts";
export { cancelJob, cancelJobRow, type CancelJobOptions } from "./cancel-job.ts";
export { playJob, readJobVariables, type PlayJobOptions, type PlayVariable } from "./play-job.ts";
export { assertCanControl, canRunOnRef, type ControlAccess } from "./control-access.ts";
