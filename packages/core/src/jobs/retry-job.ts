/**
 * Retrying a job, as GitLab: a new job row (same name, stage, spec) becomes the job's latest attempt;
 * the old row is flagged `retried` — hidden from the pipeline graph and ignored by the pipeline
 * status, still reachable on its own job page with its log. Jobs skipped because this one failed
 * (later stages, and jobs needing it directly or transitively) go back to `created`, so they run if
 * the new attempt succeeds. Used by the retry button/API (retryJob) and by `retry:` after a failure
 * (completeJob → retryJobInTransaction).
 *
 * Concurrency: the old row is flagged with a compare-and-set (`retried = false` and a finished status)
 * under the pipeline row lock, so two retries of one job create one new attempt; the loser gets a
 * conflict.
 */
import type { Db, Job, JobStatus } from "@minilab/db";
import { AppError } from "../errors.ts";
import { advanceInTransaction, type Tx } from "../pipelines/advance-pipeline.ts";
import { noEffects, runEffects, type Effects } from "../pipelines/effects.ts";
import { plannedOf, readNeedsColumn } from "../pipelines/job-row-spec.ts";
import { jobTags } from "../runners/job-tags.ts";

export interface RetryJobOptions {
  db: Db;
  jobId: number;
  /** Who asked (recorded on nothing yet; kept for the audit trail the API will want). */
  userId: number | null;
}

/** Finished statuses a user may retry (GitLab: failed, canceled and also successful jobs). */
export const RETRYABLE: ReadonlySet<JobStatus> = new Set(["failed", "canceled", "success"]);

/** Retries one job; returns the new attempt. Conflict when the job is not retryable. */
export async function retryJob({ db, jobId }: RetryJobOptions): Promise<Job> {
  const effects = noEffects();
  const job = await db.$transaction(async (tx) => {
    const found = await tx.job.findUnique({ where: { id: jobId }, select: { pipelineId: true } });
    if (!found) throw new AppError("not_found", "Job not found");
    await tx.$queryRaw`SELECT id FROM pipelines WHERE id = ${found.pipelineId} FOR UPDATE`;
    const created = await retryJobInTransaction(tx, jobId, effects);
    if (!created) {
      const now = await tx.job.findUniqueOrThrow({
        where: { id: jobId },
        select: { status: true, retried: true },
      });
      throw new AppError(
        "conflict",
        now.retried ? "Job has already been retried" : `Job is ${now.status} and cannot be retried`,
        { status: now.status },
      );
    }
    await advanceInTransaction(tx, found.pipelineId, effects);
    return tx.job.findUniqueOrThrow({ where: { id: created } });
  });
  await runEffects(effects);
  return job;
}

/**
 * Flags `jobId` retried and inserts its next attempt; returns the new job's id, or null when the job
 * is not (or no longer) retryable. The caller holds the pipeline lock and advances afterwards.
 */
export async function retryJobInTransaction(tx: Tx, jobId: number, effects: Effects): Promise<number | null> {
  const { count } = await tx.job.updateMany({
    where: { id: jobId, retried: false, status: { in: [...RETRYABLE] } },
    data: { retried: true },
  });
  if (count !== 1) return null;
  const old = await tx.job.findUniqueOrThrow({ where: { id: jobId } });
  const planned = plannedOf(old.spec);
  // The attempt's own allow_failure: as planned (an exit-code match flipped the old row's flag).
  const allowFailure =
    planned.allowFailure === undefined
      ? old.allowFailure
      : planned.allowFailure && (planned.allowFailureExitCodes ?? []).length === 0;
  // A manual or delayed job was already played (or came due): its retry runs right away, as GitLab.
  const direct = old.when === "manual" || old.when === "delayed";
  const now = new Date();
  const status: JobStatus = direct ? (old.resourceGroup ? "waiting_for_resource" : "pending") : "created";
  const next = await tx.job.create({
    data: {
      pipelineId: old.pipelineId,
      projectId: old.projectId,
      name: old.name,
      stage: old.stage,
      stageIdx: old.stageIdx,
      when: old.when,
      allowFailure,
      spec: old.spec ?? {},
      ...(old.needs !== null ? { needs: old.needs } : {}),
      resourceGroup: old.resourceGroup,
      status,
      ...(status === "pending" ? { queuedAt: now } : {}),
    },
    select: { id: true },
  });
  await resetSkippedDependents(tx, old);
  if (status === "pending") {
    effects.enqueue.push(next.id);
    (effects.enqueueTags ??= new Map()).set(next.id, jobTags(old.spec));
  }
  effects.events.push({
    kind: "job",
    id: next.id,
    pipelineId: old.pipelineId,
    projectId: old.projectId,
    status,
  });
  return next.id;
}

/**
 * GitLab's ResetSkippedJobsService: skipped jobs of later stages and skipped jobs needing the retried
 * job (transitively) become `created` again, to be decided after the new attempt finishes.
 */
async function resetSkippedDependents(
  tx: Tx,
  retried: Pick<Job, "pipelineId" | "name" | "stageIdx">,
): Promise<void> {
  const jobs = await tx.job.findMany({
    where: { pipelineId: retried.pipelineId, retried: false },
    select: { id: true, name: true, stageIdx: true, status: true, needs: true },
  });
  const affected = new Set<string>([retried.name]);
  const reset = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const j of jobs) {
      if (reset.has(j.id) || j.status !== "skipped") continue;
      const needs = readNeedsColumn(j.needs);
      const hit = needs
        ? needs.some((n) => affected.has(n.name))
        : j.stageIdx > retried.stageIdx || [...affected].some((name) => stageOf(jobs, name) < j.stageIdx);
      if (!hit) continue;
      reset.add(j.id);
      affected.add(j.name);
      grew = true;
    }
  }
  if (reset.size > 0)
    await tx.job.updateMany({
      where: { id: { in: [...reset] }, status: "skipped" },
      data: { status: "created", finishedAt: null },
    });
}

const stageOf = (jobs: { name: string; stageIdx: number }[], name: string): number =>
  jobs.find((j) => j.name === name)?.stageIdx ?? Number.POSITIVE_INFINITY;
