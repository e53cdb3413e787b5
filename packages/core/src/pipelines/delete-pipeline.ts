/**
 * Delete a pipeline (GitLab's "Delete" on the pipeline page, `DELETE /projects/:id/pipelines/:id`):
 * maintainer+ only; the pipeline, its jobs and their logs go (foreign keys cascade). Runners still
 * executing one of its jobs are told to stop first (the cancel channel); their later uploads and
 * finish find no job and are refused, which a runner treats as final.
 *
 * Artifact files are not rows: the transaction reads their paths while the rows still exist, the
 * files are removed only after it commits (a rolled-back delete keeps its files), and a crash between
 * commit and removal leaves orphans for `sweepOrphanArtifacts` (artifacts/sweep-orphan-artifacts.ts).
 */
import type { Db } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertCanControl } from "../jobs/control-access.ts";
import { ACCESS_LEVELS } from "../projects/access-levels.ts";
import { removeStored } from "../artifacts/artifact-storage.ts";
import { noEffects, runEffects } from "./effects.ts";

export interface DeletePipelineOptions {
  db: Db;
  pipelineId: number;
  userId: number;
  /** When given, a pipeline of another project is `not_found`. */
  projectId?: number;
}

export async function deletePipeline({
  db,
  pipelineId,
  userId,
  projectId,
}: DeletePipelineOptions): Promise<void> {
  const pipeline = await db.pipeline.findUnique({ where: { id: pipelineId }, select: { projectId: true } });
  if (!pipeline || (projectId !== undefined && pipeline.projectId !== projectId))
    throw new AppError("not_found", "Pipeline not found");
  await assertCanControl(db, {
    userId,
    projectId: pipeline.projectId,
    what: "Pipeline",
    minLevel: ACCESS_LEVELS.maintainer,
  });
  const effects = noEffects();
  const files = await db.$transaction(async (tx) => {
    const active = await tx.job.findMany({
      where: { pipelineId, status: { in: ["running", "canceling"] } },
      select: { id: true },
    });
    effects.cancels = active.map((j) => j.id);
    const artifacts = await tx.jobArtifact.findMany({
      where: { job: { pipelineId } },
      select: { storagePath: true },
    });
    // deleteMany: a concurrent delete of the same pipeline is not an error (the second finds nothing).
    await tx.pipeline.deleteMany({ where: { id: pipelineId } });
    return artifacts.map((a) => a.storagePath);
  });
  await runEffects(effects);
  for (const file of files) await removeStored(file).catch(() => undefined); // the sweep retries
}
