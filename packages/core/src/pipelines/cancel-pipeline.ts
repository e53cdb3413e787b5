/**
 * Cancel a whole pipeline (GitLab's "Cancel pipeline", `POST /projects/:id/pipelines/:id/cancel`):
 * GitLab's cancelable jobs (created, waiting_for_resource, preparing, pending, running, scheduled) are
 * canceled — not started ones at once, running ones via `canceling` (see jobs/cancel-job.ts for the
 * job-level rules, races and lock order). `manual` jobs stay manual and can still be played, as in
 * GitLab; the pipeline then derives `canceled` (optional manual jobs are ignored) or `manual` (a
 * blocking one). Canceling a finished pipeline changes nothing, as GitLab.
 *
 * Two transactions, in lock order: (1) under the pipeline lock, the not-started jobs only
 * advance-pipeline changes (created, scheduled, …) → canceled, so nothing later in the pipeline can
 * start; (2) the pending
 * and running rows, locked in id order, then the pipeline (by advance) — the order claim and finish
 * use. A job claimed between the two is running by (2) and becomes canceling.
 */
import type { Db, JobStatus, Pipeline } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertCanControl } from "../jobs/control-access.ts";
import { lockPipeline, mergeEffects } from "../jobs/cancel-job.ts";
import { retryOnDeadlock } from "../jobs/retry-on-deadlock.ts";
import { advanceInTransaction } from "./advance-pipeline.ts";
import { noEffects, runEffects, type Effects } from "./effects.ts";

/** GitLab's `CANCELABLE_STATUSES` that are changed under the pipeline lock: `manual` is not one. */
const CANCELABLE_UNSTARTED: readonly JobStatus[] = [
  "created",
  "waiting_for_resource",
  "preparing",
  "scheduled",
];

export interface CancelPipelineOptions {
  db: Db;
  pipelineId: number;
  userId: number;
  /** When given, a pipeline of another project is `not_found`. */
  projectId?: number;
}

export async function cancelPipeline({
  db,
  pipelineId,
  userId,
  projectId,
}: CancelPipelineOptions): Promise<Pipeline> {
  const pipeline = await db.pipeline.findUnique({ where: { id: pipelineId }, select: { projectId: true } });
  if (!pipeline || (projectId !== undefined && pipeline.projectId !== projectId))
    throw new AppError("not_found", "Pipeline not found");
  await assertCanControl(db, { userId, projectId: pipeline.projectId, what: "Pipeline" });
  const effects = noEffects();
  await cancelPipelineJobs(db, pipelineId, effects);
  await runEffects(effects);
  return db.pipeline.findUniqueOrThrow({ where: { id: pipelineId } });
}

/** The transitions, without permission checks; returns how many jobs changed. */
export async function cancelPipelineJobs(db: Db, pipelineId: number, effects: Effects): Promise<number> {
  const unstarted = CANCELABLE_UNSTARTED.map((s) => `'${s}'`).join(", ");
  const first = noEffects();
  const n1 = await retryOnDeadlock(() =>
    db.$transaction(async (tx) => {
      await lockPipeline(tx, pipelineId);
      const rows = await tx.$queryRawUnsafe<{ id: number; project_id: number }[]>(
        `UPDATE jobs SET status = 'canceled', finished_at = now(), updated_at = now()
         WHERE pipeline_id = $1 AND status IN (${unstarted}) RETURNING id, project_id`,
        pipelineId,
      );
      for (const r of rows)
        first.events.push({ kind: "job", id: r.id, pipelineId, projectId: r.project_id, status: "canceled" });
      if (rows.length > 0) await advanceInTransaction(tx, pipelineId, first);
      return rows.length;
    }),
  );
  mergeEffects(effects, first);

  const second = noEffects();
  const n2 = await retryOnDeadlock(() =>
    db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM jobs WHERE pipeline_id = ${pipelineId} AND status IN ('pending', 'running')
        ORDER BY id FOR UPDATE`;
      if (locked.length === 0) return 0;
      const rows = await tx.$queryRaw<{ id: number; project_id: number; status: JobStatus }[]>`
        UPDATE jobs SET
          status = CASE WHEN status = 'running' THEN 'canceling'::"JobStatus" ELSE 'canceled'::"JobStatus" END,
          finished_at = CASE WHEN status = 'running' THEN finished_at ELSE now() END,
          updated_at = now()
        WHERE id = ANY(${locked.map((r) => r.id)}) AND status IN ('pending', 'running')
        RETURNING id, project_id, status`;
      for (const r of rows) {
        if (r.status === "canceling") (second.cancels ??= []).push(r.id);
        second.events.push({ kind: "job", id: r.id, pipelineId, projectId: r.project_id, status: r.status });
      }
      await advanceInTransaction(tx, pipelineId, second);
      return rows.length;
    }),
  );
  mergeEffects(effects, second);
  return n1 + n2;
}
