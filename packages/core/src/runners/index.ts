export { registerRunner, RUNNER_TOKEN_PREFIX, type RegisterRunnerOptions } from "./register-runner.ts";
export { authenticateRunner, type AuthenticateRunnerOptions } from "./authenticate-runner.ts";
export { verifyRunner, type VerifyRunnerOptions } from "./verify-runner.ts";
export { listRunners, deleteRunner, type RunnerSummary } from "./list-runners.ts";
export { jobTags, tagMismatch } from "./job-tags.ts";
export { updateRunner, MIN_RUNNER_MAXIMUM_TIMEOUT, type UpdateRunnerOptions } from "./update-runner.ts";
export {
  announceOfflineRunners,
  nextOfflineAt,
  startRunnerPresence,
  MAX_SLEEP_MS as RUNNER_PRESENCE_MAX_SLEEP_MS,
  type StartRunnerPresenceOptions,
} from "./runner-presence.ts";
