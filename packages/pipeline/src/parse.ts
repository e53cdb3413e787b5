/**
 * `.gitlab-ci.yml` → {@link PipelineConfig}. Validates the first supported slice of the format and
 * reports problems with GitLab's wording so users recognise them. All problems found are returned,
 * not just the first.
 */
import { isMap, parseDocument } from "yaml";
import type { JobConfig, ParseResult, PipelineConfig, Variable, When } from "./types.ts";

/** GitLab's default `stages:` (`.pre`/`.post` are always added around the declared ones). */
export const DEFAULT_STAGES = ["build", "test", "deploy"];
/** GitLab's limit on the size of a CI configuration. */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

const GLOBAL_KEYS = new Set([
  "stages",
  "types",
  "variables",
  "default",
  "image",
  "before_script",
  "after_script",
]);
/** Top-level keywords GitLab knows that this engine does not implement yet. */
const UNSUPPORTED_GLOBAL_KEYS = new Set(["include", "workflow", "services", "cache", "spec"]);
const JOB_KEYS = new Set([
  "stage",
  "script",
  "image",
  "variables",
  "before_script",
  "after_script",
  "when",
  "allow_failure",
]);
const UNSUPPORTED_JOB_KEYS = new Set([
  "rules",
  "only",
  "except",
  "needs",
  "artifacts",
  "cache",
  "services",
  "dependencies",
  "parallel",
  "extends",
  "tags",
  "timeout",
  "retry",
  "environment",
  "coverage",
  "interruptible",
  "resource_group",
  "trigger",
  "inherit",
  "release",
  "secrets",
  "pages",
  "start_in",
  "id_tokens",
  "hooks",
  "identity",
  "run",
  "manual_confirmation",
  "dast_configuration",
]);
const DEFAULT_KEYS = new Set(["image", "before_script", "after_script"]);
const WHEN_VALUES: readonly When[] = ["on_success", "on_failure", "always", "manual"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

export function parsePipeline(text: string): ParseResult {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) return fail(["config too large"]);
  // `merge: true` enables `<<: *anchor`; aliases are capped to stop "billion laughs" documents.
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) return fail(doc.errors.map((e) => `(<unknown>): ${firstLine(e.message)}`));
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return fail([`(<unknown>): ${firstLine(e instanceof Error ? e.message : String(e))}`]);
  }
  if (root === null || root === undefined) return fail(["Please provide content of .gitlab-ci.yml"]);
  if (!isMap(doc.contents) || !isObj(root)) return fail(["Invalid configuration format"]);
  return validate(root);
}

function validate(root: Obj): ParseResult {
  const errors: string[] = [];
  for (const key of Object.keys(root)) {
    if (UNSUPPORTED_GLOBAL_KEYS.has(key)) errors.push(`${key} config is not supported yet`);
  }

  const declared = root["stages"] ?? root["types"];
  let stages = DEFAULT_STAGES;
  if (declared !== undefined) {
    if (Array.isArray(declared) && declared.every((s) => typeof s === "string")) {
      stages = declared.filter((s) => s !== ".pre" && s !== ".post");
    } else errors.push("stages config should be an array of strings");
  }
  stages = [".pre", ...new Set(stages), ".post"];

  const variables = readVariables(root["variables"], "variables", errors);

  // `default:` wins over the legacy top-level globals when both are present.
  const defaults = isObj(root["default"]) ? root["default"] : {};
  if (root["default"] !== undefined && !isObj(root["default"]))
    errors.push("default config should be a hash");
  for (const key of Object.keys(defaults)) {
    if (!DEFAULT_KEYS.has(key))
      errors.push(`default config uses keyword "${key}", which is not supported yet`);
  }
  const pick = (key: string): unknown => defaults[key] ?? root[key];
  const defaultImage = readImage(pick("image"), "default:image", errors);
  const defaultBefore = readScript(pick("before_script"), "default:before_script", errors);
  const defaultAfter = readScript(pick("after_script"), "default:after_script", errors);

  const jobs: JobConfig[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (GLOBAL_KEYS.has(name) || UNSUPPORTED_GLOBAL_KEYS.has(name) || name.startsWith(".")) continue;
    const job = readJob(name, value, stages, errors);
    if (job) {
      jobs.push({
        ...job,
        image: job.image ?? defaultImage ?? "",
        beforeScript: job.beforeScript ?? defaultBefore ?? [],
        afterScript: job.afterScript ?? defaultAfter ?? [],
      });
    }
  }
  if (errors.length === 0 && jobs.length === 0)
    errors.push("jobs config should contain at least one visible job");
  if (errors.length > 0) return fail(errors);
  const config: PipelineConfig = { stages, variables, jobs };
  return { ok: true, config };
}

type PartialJob = Omit<JobConfig, "image" | "beforeScript" | "afterScript"> & {
  image: string | undefined;
  beforeScript: string[] | undefined;
  afterScript: string[] | undefined;
};

function readJob(name: string, value: unknown, stages: string[], errors: string[]): PartialJob | null {
  const at = `jobs:${name}`;
  if (!isObj(value)) {
    errors.push(`${at} config should be a hash`);
    return null;
  }
  const before = errors.length;
  for (const key of Object.keys(value)) {
    if (UNSUPPORTED_JOB_KEYS.has(key))
      errors.push(`${at} config uses keyword "${key}", which is not supported yet`);
    else if (!JOB_KEYS.has(key)) errors.push(`${at} config contains unknown keys: ${key}`);
  }
  if (value["script"] === undefined)
    errors.push(`${at} config should implement a script: or a trigger: keyword`);
  const script = readScript(value["script"], `${at}:script`, errors) ?? [];

  const rawStage = value["stage"] ?? "test";
  const stage = typeof rawStage === "string" ? rawStage : "";
  if (typeof rawStage !== "string") errors.push(`${at}:stage config should be a string`);
  else if (!stages.includes(stage)) {
    errors.push(`${name} job: chosen stage does not exist; available stages are ${stages.join(", ")}`);
  }

  const when = value["when"] ?? "on_success";
  if (!WHEN_VALUES.includes(when as When)) {
    errors.push(`${at} when config should be one of: ${WHEN_VALUES.join(", ")}`);
  }
  // GitLab: a job-level `when: manual` is allowed to fail unless the file says otherwise.
  const allowFailure = value["allow_failure"] ?? when === "manual";
  if (typeof allowFailure !== "boolean") errors.push(`${at} allow_failure config should be a boolean value`);

  const job: PartialJob = {
    name,
    stage,
    image: readImage(value["image"], `${at}:image`, errors),
    beforeScript: readScript(value["before_script"], `${at}:before_script`, errors),
    script,
    afterScript: readScript(value["after_script"], `${at}:after_script`, errors),
    variables: readVariables(value["variables"], `${at}:variables`, errors),
    when: when as When,
    allowFailure: allowFailure === true,
  };
  return errors.length === before ? job : null;
}

function readImage(value: unknown, at: string, errors: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (isObj(value) && typeof value["name"] === "string") return value["name"];
  errors.push(`${at} config should be a hash or a string`);
  return undefined;
}

/** A script is a string or a (nested, via anchors) list of strings; nesting is flattened. */
function readScript(value: unknown, at: string, errors: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const lines: string[] = [];
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === "string" || typeof v === "number") {
      lines.push(String(v));
      return true;
    }
    return Array.isArray(v) && depth < 10 && v.every((item) => walk(item, depth + 1));
  };
  if (!walk(value, 0)) {
    errors.push(`${at} config should be a string or a nested array of strings up to 10 levels deep`);
    return undefined;
  }
  return lines;
}

/** `KEY: value` or `KEY: { value, description }`; scalar values are stringified as GitLab does. */
function readVariables(value: unknown, at: string, errors: string[]): Variable[] {
  if (value === undefined || value === null) return [];
  const out: Variable[] = [];
  if (isObj(value)) {
    for (const [key, v] of Object.entries(value)) {
      const raw = isObj(v) ? v["value"] : v;
      if (isScalar(raw)) out.push({ key, value: String(raw) });
      else if (raw === null) out.push({ key, value: "" });
      else return bad();
    }
    return out;
  }
  return bad();
  function bad(): Variable[] {
    errors.push(`${at} config should be a hash of key value pairs`);
    return [];
  }
}

function firstLine(message: string): string {
  // The yaml library ends its first line with ":" before a code excerpt we do not repeat.
  return (message.split("\n")[0] ?? message).trim().replace(/:$/, "");
}

function fail(errors: string[]): ParseResult {
  return { ok: false, errors };
}
