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
export { nextTransitions, pipelineStatus, type MachineJob, type Transition } from "./stage-machine.ts";
export type { JobRowSpec } from "./job-row-spec.ts";
