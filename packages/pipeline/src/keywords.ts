/**
 * GitLab's keyword lists, split into what this engine implements and what it refuses with a
 * "not supported yet" problem. Anything in neither list is an unknown key.
 */

/** Top-level keys that are not jobs. */
export const GLOBAL_KEYS = new Set([
  "stages",
  "types",
  "variables",
  "default",
  "include",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
]);
/** Top-level keys GitLab knows that are not implemented. */
export const UNSUPPORTED_GLOBAL_KEYS = new Set(["spec", "pages"]);

export const JOB_KEYS = new Set([
  "stage",
  "type",
  "script",
  "before_script",
  "after_script",
  "image",
  "services",
  "variables",
  "when",
  "start_in",
  "allow_failure",
  "rules",
  "only",
  "except",
  "needs",
  "dependencies",
  "extends",
  "inherit",
  "retry",
  "timeout",
  "parallel",
  "artifacts",
  "cache",
  "tags",
  "environment",
  "interruptible",
  "resource_group",
  "coverage",
]);
export const UNSUPPORTED_JOB_KEYS = new Set([
  "trigger",
  "release",
  "secrets",
  "pages",
  "id_tokens",
  "hooks",
  "identity",
  "run",
  "manual_confirmation",
  "dast_configuration",
  "publish",
  "inputs",
]);

/** Keys `default:` may carry (GitLab's list). */
export const DEFAULT_KEYS = new Set([
  "after_script",
  "artifacts",
  "before_script",
  "cache",
  "hooks",
  "id_tokens",
  "image",
  "interruptible",
  "retry",
  "services",
  "tags",
  "timeout",
]);
/** Legacy top-level keys that act as `default:` entries. */
export const LEGACY_DEFAULT_KEYS = ["image", "services", "cache", "before_script", "after_script"];

export const JOB_WHEN = ["on_success", "on_failure", "always", "manual", "delayed"] as const;
export const RETRY_WHEN = new Set([
  "always",
  "unknown_failure",
  "script_failure",
  "api_failure",
  "stuck_or_timeout_failure",
  "runner_system_failure",
  "runner_unsupported",
  "stale_schedule",
  "job_execution_timeout",
  "archived_failure",
  "unmet_prerequisites",
  "scheduler_failure",
  "data_integrity_failure",
]);
