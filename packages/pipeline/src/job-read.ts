/** One job's hash (after includes, references, extends and defaults) → {@link JobConfig}. */
import type { Inherit } from "./defaults.ts";
import {
  readCache,
  readDependencies,
  readEnvironment,
  readHash,
  readImage,
  readOptionalBool,
  readOptionalString,
  readRetry,
  readScript,
  readServices,
  readTags,
  readTimeout,
} from "./job-fields.ts";
import type { Obj } from "./json.ts";
import { JOB_KEYS, JOB_WHEN, UNSUPPORTED_JOB_KEYS } from "./keywords.ts";
import { readNeeds } from "./needs-read.ts";
import { readOnlyExcept } from "./only-except.ts";
import { readParallel } from "./parallel.ts";
import type { Problems } from "./problems.ts";
import { readAllowFailure, readRules } from "./rules-read.ts";
import type { JobConfig, When } from "./types.ts";
import { readVariables } from "./variables.ts";

export function readJob(
  name: string,
  job: Obj,
  inherit: Inherit,
  line: number | null,
  problems: Problems,
): JobConfig | null {
  const w = `jobs:${name}`;
  const at = (key: string): string[] => [name, key];
  const before = problems.count;
  for (const key of Object.keys(job)) {
    if (UNSUPPORTED_JOB_KEYS.has(key))
      problems.add(`${w}:${key}`, `${w}:${key} config is not supported yet`, at(key));
    else if (!JOB_KEYS.has(key)) problems.add(w, `${w} config contains unknown keys: ${key}`, at(key));
  }
  if (job["script"] === undefined && job["trigger"] === undefined)
    problems.add(w, `${w} config should implement a script: or a trigger: keyword`, [name]);
  if (job["rules"] !== undefined) {
    for (const key of ["only", "except"])
      if (job[key] !== undefined)
        problems.add(w, `${w} config key may not be used with \`rules\`: ${key}`, at(key));
  }
  const rawStage = job["stage"] ?? job["type"] ?? "test";
  if (typeof rawStage !== "string")
    problems.add(`${w}:stage`, `${w}:stage config should be a string`, at("stage"));
  const rawWhen = job["when"] ?? "on_success";
  if (!(JOB_WHEN as readonly unknown[]).includes(rawWhen))
    problems.add(w, `${w} when config should be one of: ${JOB_WHEN.join(", ")}`, at("when"));
  const startIn = readOptionalString(job["start_in"], `${w}:start_in`, at("start_in"), problems);
  if (rawWhen === "delayed" && startIn === null)
    problems.add(`${w}:start_in`, `${w} start in should be specified for delayed job`, at("when"));
  if (rawWhen !== "delayed" && startIn !== null && job["rules"] === undefined)
    problems.add(`${w}:start_in`, `${w} start in must be blank when not a delayed job`, at("start_in"));

  const config: JobConfig = {
    name,
    stage: typeof rawStage === "string" ? rawStage : "test",
    line,
    when: rawWhen as When,
    allowFailure: readAllowFailure(job["allow_failure"], `${w}:allow_failure`, at("allow_failure"), problems),
    startIn,
    rules: readRules(job["rules"], `${w}:rules`, at("rules"), problems),
    only: readOnlyExcept(job["only"], `${w}:only`, at("only"), problems),
    except: readOnlyExcept(job["except"], `${w}:except`, at("except"), problems),
    needs: job["needs"] === undefined ? null : readNeeds(job["needs"], `${w}:needs`, at("needs"), problems),
    dependencies: readDependencies(job["dependencies"], `${w}:dependencies`, at("dependencies"), problems),
    image: readImage(job["image"], `${w}:image`, at("image"), problems),
    services: readServices(job["services"], `${w}:services`, at("services"), problems),
    beforeScript: readScript(job["before_script"], `${w}:before_script`, at("before_script"), problems),
    script: readScript(job["script"], `${w}:script`, at("script"), problems),
    afterScript: readScript(job["after_script"], `${w}:after_script`, at("after_script"), problems),
    variables: readVariables(job["variables"], `${w}:variables`, at("variables"), problems),
    inheritVariables: inherit.variables,
    retry: readRetry(job["retry"], `${w}:retry`, at("retry"), problems),
    timeoutSeconds: readTimeout(job["timeout"], `${w}:timeout`, at("timeout"), problems),
    tags: readTags(job["tags"], `${w}:tags`, at("tags"), problems),
    artifacts: readHash(job["artifacts"], `${w}:artifacts`, at("artifacts"), problems),
    cache: readCache(job["cache"], `${w}:cache`, at("cache"), problems),
    environment: readEnvironment(job["environment"], `${w}:environment`, at("environment"), problems),
    interruptible: readOptionalBool(
      job["interruptible"],
      `${w}:interruptible`,
      at("interruptible"),
      problems,
    ),
    resourceGroup: readOptionalString(
      job["resource_group"],
      `${w}:resource_group`,
      at("resource_group"),
      problems,
    ),
    coverage: readOptionalString(job["coverage"], `${w}:coverage`, at("coverage"), problems),
    parallel: readParallel(job["parallel"], `${w}:parallel`, at("parallel"), problems),
  };
  if (config.script.length === 0 && job["script"] !== undefined && problems.count === before)
    problems.add(
      `${w}:script`,
      `${w}:script config should be a string or a nested array of strings up to 10 levels deep`,
      at("script"),
    );
  return problems.count === before ? config : null;
}
