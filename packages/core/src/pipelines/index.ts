export {
  createPipeline,
  CI_CONFIG_PATH,
  type CreatePipelineOptions,
  type PipelineSource,
} from "./create-pipeline.ts";
export { handlePush, hasSkipCiMarker, type HandlePushOptions, type RefUpdateInput } from "./handle-push.ts";
export { advancePipeline, type AdvancePipelineOptions } from "./advance-pipeline.ts";
export {
  predefinedVariables,
  slugify,
  projectDir,
  BUILDS_DIR,
  type PredefinedVariablesInput,
} from "./predefined-variables.ts";
export {
  nextTransitions,
  pipelineStatus,
  pipelineWarnings,
  stageJobsReady,
  type JobGroup,
  type MachineJob,
  type MachineNeed,
  type Transition,
} from "./stage-machine.ts";
export { retryPipeline, type RetryPipelineOptions } from "./retry-pipeline.ts";
export {
  promoteScheduledJob,
  promoteDueScheduledJobs,
  runScheduledJobNow,
  unscheduleJob,
  type ScheduledJobOptions,
} from "./scheduled-jobs.ts";
export type { JobRowSpec } from "./job-row-spec.ts";
export { cancelPipeline, cancelPipelineJobs, type CancelPipelineOptions } from "./cancel-pipeline.ts";
export { deletePipeline, type DeletePipelineOptions } from "./delete-pipeline.ts";
export {
  cancelRedundantPipelines,
  isInterruptible,
  type CancelRedundantPipelinesOptions,
} from "./cancel-redundant-pipelines.ts";
export { runPipeline, type RunPipelineOptions } from "./run-pipeline.ts";
export {
  lintCiConfig,
  lintProjectCiConfig,
  type CiLintJob,
  type CiLintResult,
  type LintCiConfigOptions,
  type LintProjectCiConfigOptions,
} from "./lint-ci-config.ts";
export { toApiCiLint } from "./ci-lint-api.ts";
