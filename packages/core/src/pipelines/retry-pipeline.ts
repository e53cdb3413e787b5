/**
 * "Retry" on a pipeline, as GitLab: every failed or canceled job (latest attempts only) gets a new
 * attempt, skipped jobs after them go back to `created`, and the pipeline runs again from there. One
 * transaction under the pipeline row lock, so a concurrent retry of the same pipeline retries nothing
 * twice.
 */
import type { Db, Pipeline } from "@minilab/db";
import { AppError } from "../errors.ts";
import { retryJobInTransaction } from "../jobs/retry-job.ts";
import { advanceInTransaction } from "./advance-pipeline.ts";
import { noEffects, runEffects } from "./effects.ts";

export interface RetryPipelineOptions {
  db: Db;
  pipelineId: number;
  /** Who asked (not recorded yet). */
  userId: number | null;
}

/** Returns the pipeline after the retry. Conflict when it has no failed or canceled job. */
export async function retryPipeline({ db, pipelineId }: RetryPipelineOptions): Promise<Pipeline> {
  const effects = noEffects();
  const pipeline = await db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<
      { id: number }[]
    >`SELECT id FROM pipelines WHERE id = ${pipelineId} FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", "Pipeline not found");
    const failed = await tx.job.findMany({
      where: { pipelineId, retried: false, status: { in: ["failed", "canceled"] } },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    let retried = 0;
    for (const { id } of failed) if ((await retryJobInTransaction(tx, id, effects)) !== null) retried++;
    if (retried === 0) throw new AppError("conflict", "Pipeline has no failed or canceled jobs to retry");
    await advanceInTransaction(tx, pipelineId, effects);
    return tx.pipeline.findUniqueOrThrow({ where: { id: pipelineId } });
  });
  await runEffects(effects);
  return pipeline;
}
