/**
 * Play a manual job (GitLab's ▶ button, `POST /projects/:id/jobs/:job_id/play`): manual → pending and
 * dispatched, optionally with variables (`job_variables_attributes`) stored on the job and handed to
 * the runner after every other variable, so they win. Developer+, and on a protected branch only
 * those allowed to push or merge to it (GitLab's rule for deploy jobs).
 *
 * Concurrency: manual rows change only under the pipeline lock (advance-pipeline, cancel), so the
 * pipeline row is locked first and the status compare-and-set decides: of a play racing a cancel or a
 * second play, exactly one wins; the loser gets `unplayable`.
 */
import type { JobVariable } from "@minilab/contracts";
import type { Db, JobStatus } from "@minilab/db";
import { AppError } from "../errors.ts";
import { advanceInTransaction } from "../pipelines/advance-pipeline.ts";
import { noEffects, runEffects } from "../pipelines/effects.ts";
import { jobTags } from "../runners/job-tags.ts";
import { lockPipeline } from "./cancel-job.ts";
import { assertCanControl, canRunOnRef } from "./control-access.ts";

// A type alias (not an interface) so it is assignable to Prisma's JSON input type.
export type PlayVariable = { key: string; value: string };

export interface PlayJobOptions {
  db: Db;
  jobId: number;
  userId: number;
  /** When given, a job of another project is `not_found`. */
  projectId?: number;
  variables?: readonly PlayVariable[];
}

/** GitLab's limit on variables of one play is generous; this keeps the row small. */
const MAX_VARIABLES = 100;
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function playJob({
  db,
  jobId,
  userId,
  projectId,
  variables = [],
}: PlayJobOptions): Promise<JobStatus> {
  const job = await db.job.findUnique({
    where: { id: jobId },
    select: { projectId: true, pipelineId: true, spec: true, pipeline: { select: { ref: true, tag: true } } },
  });
  if (!job || (projectId !== undefined && job.projectId !== projectId))
    throw new AppError("not_found", "Job not found");
  const { level } = await assertCanControl(db, { userId, projectId: job.projectId, what: "Job" });
  if (!(await canRunOnRef(db, { projectId: job.projectId, ...job.pipeline, level })))
    throw new AppError("forbidden", "403 Forbidden");
  const vars = checkVariables(variables);

  const effects = noEffects();
  const played = await db.$transaction(async (tx) => {
    await lockPipeline(tx, job.pipelineId);
    const { count } = await tx.job.updateMany({
      where: { id: jobId, status: "manual" },
      data: { status: "pending", queuedAt: new Date(), jobVariables: vars },
    });
    if (count !== 1) return false;
    effects.enqueue.push(jobId);
    (effects.enqueueTags ??= new Map()).set(jobId, jobTags(job.spec));
    effects.events.push({
      kind: "job",
      id: jobId,
      pipelineId: job.pipelineId,
      projectId: job.projectId,
      status: "pending",
    });
    await advanceInTransaction(tx, job.pipelineId, effects);
    return true;
  });
  if (!played) throw new AppError("invalid_input", "Unplayable Job", { unplayable: true });
  await runEffects(effects);
  return "pending";
}

function checkVariables(variables: readonly PlayVariable[]): PlayVariable[] {
  if (variables.length > MAX_VARIABLES)
    throw new AppError("invalid_input", `At most ${MAX_VARIABLES} variables per job`);
  const out: PlayVariable[] = [];
  for (const v of variables) {
    const key = v.key.trim();
    if (key === "" && v.value === "") continue; // an empty row of the form
    if (!KEY.test(key)) throw new AppError("invalid_input", `Invalid variable name: ${key || "(empty)"}`);
    out.push({ key, value: v.value });
  }
  return out;
}

/** The `jobs.job_variables` column as runner variables (read leniently: bad entries are dropped). */
export function readJobVariables(json: unknown): JobVariable[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((v: unknown) => {
    const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
    return typeof o["key"] === "string" && typeof o["value"] === "string"
      ? [{ key: o["key"], value: o["value"], masked: false }]
      : [];
  });
}
