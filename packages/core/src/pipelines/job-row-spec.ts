/**
 * The `jobs.spec` JSON column: what the planner decided for one job. Written once at pipeline
 * creation, read at claim time to build the runner's JobSpec (packages/contracts).
 */
import type { PlannedJob, Variable } from "@minilab/pipeline";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";

// A type alias so it is assignable to Prisma's JSON input type.
export type JobRowSpec = {
  image: string;
  /** The whole planned job (needs, services, retry, artifacts, …) for the stages that use it. */
  planned?: PlannedJob;
  timeoutSeconds?: number;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Global then job variables from the YAML, already merged. */
  variables: Variable[];
  when: string;
  allowFailure: boolean;
};

export function toJobRowSpec(job: PlannedJob): JobRowSpec {
  const { beforeScript, script, afterScript, variables, when, allowFailure } = job;
  return {
    image: job.image.name,
    beforeScript,
    script,
    afterScript,
    variables,
    when,
    allowFailure,
    ...(job.timeoutSeconds !== null ? { timeoutSeconds: job.timeoutSeconds } : {}),
    planned: job,
  };
}

/** A planned job's `needs` in the `jobs.needs` column: null = stage ordering. */
export type NeedsColumn = { name: string; optional: boolean }[];

/**
 * Columns (besides `spec`) the orchestration reads on every advance, so it never parses specs there.
 * With `allow_failure: exit_codes` the row starts as not allowed to fail; completeJob flips it when the
 * job exits with a listed code (as GitLab does).
 */
export function jobRowColumns(job: PlannedJob): {
  allowFailure: boolean;
  resourceGroup: string | null;
  needs?: NeedsColumn;
} {
  return {
    allowFailure: job.allowFailure && job.allowFailureExitCodes.length === 0,
    resourceGroup: job.resourceGroup,
    ...(job.needs ? { needs: job.needs.map((n) => ({ name: n.name, optional: n.optional })) } : {}),
  };
}

/** Reads `jobs.needs` leniently: anything but an array of `{name}` is stage ordering. */
export function readNeedsColumn(json: unknown): NeedsColumn | null {
  if (!Array.isArray(json)) return null;
  return json.flatMap((n: unknown) =>
    typeof n === "object" && n !== null && typeof (n as { name?: unknown }).name === "string"
      ? [{ name: (n as { name: string }).name, optional: (n as { optional?: unknown }).optional === true }]
      : [],
  );
}

/** The planned job stored in the spec, when there (rows written before it was stored have none). */
export function plannedOf(json: unknown): Partial<PlannedJob> {
  const p =
    typeof json === "object" && json !== null ? (json as Record<string, unknown>)["planned"] : undefined;
  return typeof p === "object" && p !== null ? p : {};
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** Reads the column back; a malformed value is a bug in whoever wrote it, not user input. */
export function readJobRowSpec(json: unknown): JobRowSpec {
  const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  const variables = o["variables"];
  const ok =
    typeof o["image"] === "string" &&
    isStrings(o["beforeScript"]) &&
    isStrings(o["script"]) &&
    isStrings(o["afterScript"]) &&
    Array.isArray(variables) &&
    variables.every(
      (v: unknown) =>
        typeof v === "object" &&
        v !== null &&
        typeof (v as Variable).key === "string" &&
        typeof (v as Variable).value === "string",
    );
  if (!ok) throw new Error("jobs.spec is malformed");
  return o as unknown as JobRowSpec;
}

/**
 * The job's timeout: `timeoutSeconds` in the column when a positive integer, else the default. Read
 * leniently (never throws) because the reconciler must enforce a timeout even on a malformed row; the
 * claim hands the runner the same value, so runner and server agree on when a job has run too long.
 */
export function jobTimeoutSeconds(json: unknown): number {
  const t =
    typeof json === "object" && json !== null
      ? (json as Record<string, unknown>)["timeoutSeconds"]
      : undefined;
  return typeof t === "number" && Number.isSafeInteger(t) && t > 0
    ? t
    : coreConfig().defaultJobTimeoutSeconds;
}

/**
 * The timeout a job runs with, as GitLab: the job's `timeout:` when set, else the project's
 * `build_timeout`; never above the runner's maximum timeout when it has one. Fixed at claim time
 * (`jobs.timeout`), so runner and reconciler agree on it.
 */
export function effectiveTimeoutSeconds(
  spec: unknown,
  projectTimeout: number,
  runnerMaximum: number | null,
): number {
  const t =
    typeof spec === "object" && spec !== null
      ? (spec as Record<string, unknown>)["timeoutSeconds"]
      : undefined;
  const own = typeof t === "number" && Number.isSafeInteger(t) && t > 0 ? t : projectTimeout;
  return runnerMaximum !== null && runnerMaximum > 0 ? Math.min(own, runnerMaximum) : own;
}

/** Pipeline-level variables (`pipelines.variables`, name → value) as an ordered list. */
export function readPipelineVariables(json: unknown): Variable[] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return [];
  return Object.entries(json).map(([key, value]) => ({ key, value: String(value), expand: true }));
}

export function checkPipelineVariables(variables: Record<string, string>): void {
  for (const key of Object.keys(variables)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new AppError("invalid_input", `Invalid variable name: ${key}`);
  }
}
