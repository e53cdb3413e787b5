/**
 * `.gitlab-ci.yml` text → {@link PipelineConfig}: YAML (anchors, merge keys, `!reference`) → `include:local`
 * → `!reference` → `extends` → `default:`/`inherit:` → per-job validation. Every problem found is
 * returned, not just the first; cross-job checks (stages, needs) are in lint.ts.
 */
import { applyDefaults, readDefaults, readInherit } from "./defaults.ts";
import { resolveExtends } from "./extends.ts";
import { resolveIncludes, type IncludeState } from "./includes.ts";
import { readJob } from "./job-read.ts";
import { isObj, isStringList, type Obj } from "./json.ts";
import { GLOBAL_KEYS, UNSUPPORTED_GLOBAL_KEYS } from "./keywords.ts";
import { Problems, type Locate } from "./problems.ts";
import { resolveReferences } from "./references.ts";
import { readRules } from "./rules-read.ts";
import type { JobConfig, ParseOptions, ParseResult, PipelineConfig } from "./types.ts";
import { readVariables } from "./variables.ts";
import { loadYaml } from "./yaml-load.ts";

/** GitLab's default `stages:` (`.pre`/`.post` are always added around the declared ones). */
export const DEFAULT_STAGES = ["build", "test", "deploy"];
export const CONFIG_FILE = ".gitlab-ci.yml";

export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const loaded = loadYaml(text, CONFIG_FILE);
  if (!loaded.ok) {
    const problem = {
      path: "",
      message: loaded.error,
      file: CONFIG_FILE,
      line: loaded.line,
      column: loaded.column,
    };
    return { config: null, problems: [{ ...problem, severity: "error" }] };
  }
  const locators: Locate[] = [loaded.locate];
  const problems = new Problems((path) => {
    for (const locate of locators) {
      const hit = locate(path);
      if (hit) return hit;
    }
    return null;
  });
  if (loaded.value === null || loaded.value === undefined || loaded.value === "") {
    problems.add("", "Please provide content of .gitlab-ci.yml");
    return { config: null, problems: problems.list };
  }
  if (!isObj(loaded.value)) {
    problems.add("", "Invalid configuration format");
    return { config: null, problems: problems.list };
  }
  const state: IncludeState = { files: options.files, problems, count: 0, locators };
  const included = resolveIncludes(loaded.value, state);
  const root = resolveReferences(included, problems);
  return { config: readConfig(root, problems, loaded.locate), problems: problems.list };
}

function readConfig(rawRoot: Obj, problems: Problems, locateMain: Locate): PipelineConfig {
  for (const key of Object.keys(rawRoot))
    if (UNSUPPORTED_GLOBAL_KEYS.has(key)) problems.add(key, `${key} config is not supported yet`, [key]);
  const isJobKey = (key: string): boolean => !GLOBAL_KEYS.has(key) && !UNSUPPORTED_GLOBAL_KEYS.has(key);
  const root = resolveExtends(rawRoot, isJobKey, problems);
  const stages = readStages(root, problems);
  const variables = readVariables(root["variables"], "variables", ["variables"], problems);
  const workflow = readWorkflow(root["workflow"], problems);
  const defaults = readDefaults(root, problems);

  const jobs: JobConfig[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (!isJobKey(name) || name.startsWith(".")) continue;
    if (!isObj(value)) {
      problems.add(`jobs:${name}`, `jobs:${name} config should be a hash`, [name]);
      continue;
    }
    const inherit = readInherit(value, name, problems);
    const line = locateMain([name])?.line ?? null;
    const job = readJob(name, applyDefaults(value, defaults, inherit), inherit, line, problems);
    if (job) jobs.push(job);
  }
  const anyJob = Object.keys(root).some((k) => isJobKey(k) && !k.startsWith("."));
  if (!anyJob) problems.add("jobs", "jobs config should contain at least one visible job");
  return { stages, variables, workflow, jobs, merged: root };
}

function readStages(root: Obj, problems: Problems): string[] {
  const declared = root["stages"] ?? root["types"];
  let stages = DEFAULT_STAGES;
  if (declared !== undefined && declared !== null) {
    const flat: unknown = Array.isArray(declared) ? declared.flat(3) : declared;
    if (isStringList(flat)) stages = flat.filter((s) => s !== ".pre" && s !== ".post");
    else problems.add("stages", "stages config should be an array of strings", ["stages"]);
  }
  return [".pre", ...new Set(stages), ".post"];
}

function readWorkflow(value: unknown, problems: Problems): PipelineConfig["workflow"] {
  const out: PipelineConfig["workflow"] = { name: null, rules: null };
  if (value === undefined || value === null) return out;
  if (!isObj(value)) {
    problems.add("workflow", "workflow config should be a hash", ["workflow"]);
    return out;
  }
  for (const key of Object.keys(value)) {
    if (key === "auto_cancel")
      problems.add("workflow:auto_cancel", "workflow:auto_cancel config is not supported yet", [
        "workflow",
        key,
      ]);
    else if (key !== "rules" && key !== "name")
      problems.add("workflow", `workflow config contains unknown keys: ${key}`, ["workflow", key]);
  }
  const name = value["name"];
  if (name !== undefined && typeof name !== "string")
    problems.add("workflow:name", "workflow:name config should be a string", ["workflow", "name"]);
  out.name = typeof name === "string" ? name : null;
  out.rules = readRules(value["rules"], "workflow:rules", ["workflow", "rules"], problems, true);
  return out;
}
