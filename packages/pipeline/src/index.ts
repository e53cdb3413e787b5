/**
 * The pure `.gitlab-ci.yml` engine: `parse(text, { files })` → config + problems, `lint(config)` →
 * cross-job problems, `plan(config, ctx)` → the jobs of one pipeline. No I/O: repository files come
 * through the injected {@link RepoFiles}.
 */
export * from "./types.ts";
export { parse, DEFAULT_STAGES, CONFIG_FILE } from "./parse.ts";
export { lint } from "./lint.ts";
export { plan } from "./plan.ts";
export { MAX_CONFIG_BYTES } from "./yaml-load.ts";
export { MAX_INCLUDES } from "./includes.ts";
export { MAX_NEEDS } from "./needs-read.ts";
export { MAX_PARALLEL, instanceNames } from "./parallel.ts";
export { parseDuration } from "./duration.ts";
export { parseExpression, evaluate } from "./expression.ts";
export { mergeVariables } from "./variables.ts";
export { check, formatProblem, type CheckResult } from "./check.ts";
export { filesFromRecord } from "./repo-files.ts";
export { planInputs, type PlanInputs } from "./plan-inputs.ts";
export { mergedYaml } from "./merged-yaml.ts";
