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
