/**
 * Cancel one job (GitLab's "Cancel" button, `POST /projects/:id/jobs/:job_id/cancel`):
 * - not started yet (created, waiting_for_resource, preparing, pending, manual, scheduled) → `canceled`
 *   at once; a runner's later claim of it gets 409, so it never runs;
 * - running → `canceling`, and the runner is told (Redis cancel channel; trace responses as fallback).
 *   The runner stops the script, runs after_script, uploads the rest of the log and reports; the job
 *   then ends `canceled` (complete-job.ts), as it does if its runner dies meanwhile (reconciler);
 * - canceling → unchanged (a second click); finished → `not_cancelable` (GitLab's 422).
 *
 * Concurrency: every transition is a compare-and-set on the status that was read, so a cancel racing
 * a claim (pending → running) or a finish (running → success) ends in exactly one state: whichever
 * commits first wins and the other adapts (claim refuses a canceled job; a cancel that finds the job
 * running moves it to canceling; a finish that finds it canceling ends it canceled; a cancel that
 * finds it finished changes nothing).
 *
 * Lock order (no deadlocks with claim/finish/advance): rows only ever changed under the pipeline lock
 * (created, manual, scheduled, waiting_for_resource, preparing — advance-pipeline promotes them) are
 * changed with the pipeline row locked first, like advance does; pending and running rows are locked
 * before the pipeline row, like claim and finish do.
 */
import type { Db, JobStatus } from "@minilab/db";
import { AppError } from "../errors.ts";
import { advanceInTransaction, type Tx } from "../pipelines/advance-pipeline.ts";
import { noEffects, runEffects, type Effects } from "../pipelines/effects.ts";
import { assertCanControl } from "./control-access.ts";
import { retryOnDeadlock } from "./retry-on-deadlock.ts";

/** Not started and changed only under the pipeline lock. */
export const UNSTARTED: readonly JobStatus[] = [
  "created",
  "waiting_for_resource",
  "preparing",
  "manual",
  "scheduled",
];

export interface CancelJobOptions {
  db: Db;
  jobId: number;
  userId: number;
  /** When given, a job of another project is `not_found` (the API's `/projects/:id/jobs/:job_id`). */
  projectId?: number;
}

/** Returns the job's status after the cancel: `canceled` or `canceling`. */
export async function cancelJob({ db, jobId, userId, projectId }: CancelJobOptions): Promise<JobStatus> {
  const job = await db.job.findUnique({
    where: { id: jobId },
    select: { projectId: true, pipelineId: true },
  });
  if (!job || (projectId !== undefined && job.projectId !== projectId))
    throw new AppError("not_found", "Job not found");
  await assertCanControl(db, { userId, projectId: job.projectId, what: "Job" });
  const effects = noEffects();
  const status = await cancelJobRow(db, jobId, job.pipelineId, effects);
  await runEffects(effects);
  if (!status) throw new AppError("unprocessable", "Job is not cancelable");
  return status;
}

/**
 * The transition itself, without permission checks. Returns the new status (or `canceling` when it
 * already was), or null when the job had finished.
 */
export async function cancelJobRow(
  db: Db,
  jobId: number,
  pipelineId: number,
  effects: Effects,
): Promise<"canceled" | "canceling" | null> {
  // A status can change between the read and the CAS (e.g. claimed meanwhile): read again and retry.
  for (let attempt = 0; attempt < 5; attempt++) {
    const local = noEffects();
    const outcome = await retryOnDeadlock(() =>
      db.$transaction(async (tx) => {
        const row = await tx.job.findUnique({ where: { id: jobId }, select: { status: true } });
        if (!row || row.status === "canceled") return null;
        if (row.status === "canceling") return "canceling" as const;
        let to: "canceled" | "canceling";
        if (UNSTARTED.includes(row.status)) {
          await lockPipeline(tx, pipelineId);
          to = "canceled";
        } else if (row.status === "pending") to = "canceled";
        else if (row.status === "running") to = "canceling";
        else return null; // success, failed, skipped
        const { count } = await tx.job.updateMany({
          where: { id: jobId, status: row.status },
          data: to === "canceled" ? { status: to, finishedAt: new Date() } : { status: to },
        });
        if (count !== 1) return "retry" as const;
        if (to === "canceling") (local.cancels ??= []).push(jobId);
        const projectId = (await tx.pipeline.findUniqueOrThrow({ where: { id: pipelineId } })).projectId;
        local.events.push({ kind: "job", id: jobId, pipelineId, projectId, status: to });
        await advanceInTransaction(tx, pipelineId, local);
        return to;
      }),
    );
    if (outcome === "retry") continue;
    mergeEffects(effects, local);
    return outcome;
  }
  throw new Error(`job ${jobId}: status kept changing while canceling it`);
}

export async function lockPipeline(tx: Tx, pipelineId: number): Promise<void> {
  await tx.$queryRaw`SELECT id FROM pipelines WHERE id = ${pipelineId} FOR UPDATE`;
}

/** Adds `from`'s effects to `into` (effects of a committed transaction only). */
export function mergeEffects(into: Effects, from: Effects): void {
  into.enqueue.push(...from.enqueue);
  for (const [id, tags] of from.enqueueTags ?? []) (into.enqueueTags ??= new Map()).set(id, tags);
  into.events.push(...from.events);
  into.logs.push(...from.logs);
  if (from.cancels?.length) (into.cancels ??= []).push(...from.cancels);
  if (from.schedule?.length) (into.schedule ??= []).push(...from.schedule);
}
