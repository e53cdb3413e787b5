/**
 * `interruptible` (GitLab's auto-cancel of redundant pipelines, "conservative" mode): when a new
 * pipeline is created for a branch, older unfinished pipelines of the same branch for other commits
 * are canceled — unless a job that is not `interruptible: true` has already started in them (running
 * or finished): from then on the older pipeline runs to its end. Jobs that have not started count
 * as interruptible. Canceling follows cancel-pipeline.ts (running jobs via `canceling`).
 *
 * Best effort by design: it runs after the new pipeline committed and never fails its creation; a
 * non-interruptible job starting between the check and the cancel can still be canceled (GitLab has
 * the same window).
 */
import type { Db, JobStatus, Pipeline } from "@minilab/db";
import { cancelPipelineJobs } from "./cancel-pipeline.ts";
import { noEffects, runEffects } from "./effects.ts";
import { TERMINAL_PIPELINE } from "./stage-machine.ts";

const STARTED: ReadonlySet<JobStatus> = new Set<JobStatus>(["running", "canceling", "success", "failed"]);

export interface CancelRedundantPipelinesOptions {
  db: Db;
  pipeline: Pick<Pipeline, "id" | "projectId" | "ref" | "tag" | "sha" | "yamlErrors">;
}

/** Returns the ids of the pipelines it canceled. */
export async function cancelRedundantPipelines({
  db,
  pipeline,
}: CancelRedundantPipelinesOptions): Promise<number[]> {
  // A pipeline whose configuration is broken runs nothing; it does not replace the older one.
  if (pipeline.tag || pipeline.yamlErrors !== null) return [];
  try {
    const older = await db.pipeline.findMany({
      where: {
        projectId: pipeline.projectId,
        ref: pipeline.ref,
        tag: false,
        id: { lt: pipeline.id },
        sha: { not: pipeline.sha },
        status: { notIn: [...TERMINAL_PIPELINE] },
      },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    const canceled: number[] = [];
    const effects = noEffects();
    for (const { id } of older) {
      const jobs = await db.job.findMany({ where: { pipelineId: id }, select: { status: true, spec: true } });
      if (jobs.some((j) => STARTED.has(j.status) && !isInterruptible(j.spec))) continue;
      if ((await cancelPipelineJobs(db, id, effects)) > 0) canceled.push(id);
    }
    await runEffects(effects);
    return canceled;
  } catch (e) {
    console.error(`minilab: auto-canceling pipelines older than ${pipeline.id} failed`, e);
    return [];
  }
}

/** `interruptible: true` as planned (jobs.spec.planned); absent or false = not interruptible. */
export function isInterruptible(spec: unknown): boolean {
  const planned =
    typeof spec === "object" && spec !== null ? (spec as Record<string, unknown>)["planned"] : undefined;
  return typeof planned === "object" && planned !== null
    ? (planned as Record<string, unknown>)["interruptible"] === true
    : false;
}
