/**
 * `when: delayed` jobs. advance-pipeline moves a delayed job to `scheduled` with `scheduled_at` and
 * sets a BullMQ timer (effects.schedule); when it fires — or when the reconciler finds the job due,
 * should the timer be lost — {@link promoteScheduledJob} moves it on like any job that may run:
 * pending (dispatched), or `waiting_for_resource` when it has a resource group. Users may run it now
 * or unschedule it (→ `manual`, to be played later), as GitLab.
 *
 * Every change is a compare-and-set on `status = 'scheduled'` under the pipeline row lock, so a timer,
 * the reconciler and a user racing on one job move it exactly once; the others change nothing.
 */
import type { Db, Job } from "@minilab/db";
import { AppError } from "../errors.ts";
import { advanceInTransaction, type Tx } from "./advance-pipeline.ts";
import { noEffects, runEffects, type Effects } from "./effects.ts";
import { jobTags } from "../runners/job-tags.ts";

export interface ScheduledJobOptions {
  db: Db;
  jobId: number;
}

/**
 * Promotes a scheduled job that is due (or any scheduled job with `force`). Returns true when this
 * call moved it. A timer that fires early (clock skew) changes nothing; the reconciler catches up.
 */
export async function promoteScheduledJob({
  db,
  jobId,
  force = false,
  now = new Date(),
}: ScheduledJobOptions & { force?: boolean; now?: Date }): Promise<boolean> {
  const effects = noEffects();
  const moved = await db.$transaction(async (tx) => {
    const pipelineId = await lockPipelineOf(tx, jobId);
    if (pipelineId === null) return false;
    const job = await tx.job.findUniqueOrThrow({
      where: { id: jobId },
      select: { resourceGroup: true, spec: true, projectId: true },
    });
    const to = job.resourceGroup ? "waiting_for_resource" : "pending";
    const { count } = await tx.job.updateMany({
      where: { id: jobId, status: "scheduled", ...(force ? {} : { scheduledAt: { lte: now } }) },
      data: { status: to, ...(to === "pending" ? { queuedAt: new Date() } : {}) },
    });
    if (count !== 1) return false;
    if (to === "pending") {
      effects.enqueue.push(jobId);
      (effects.enqueueTags ??= new Map()).set(jobId, jobTags(job.spec));
    }
    effects.events.push({ kind: "job", id: jobId, pipelineId, projectId: job.projectId, status: to });
    await advanceInTransaction(tx, pipelineId, effects);
    return true;
  });
  await runEffects(effects);
  return moved;
}

/** "Run now" on a delayed job. Conflict unless it is scheduled. */
export async function runScheduledJobNow({ db, jobId }: ScheduledJobOptions): Promise<Job> {
  if (!(await promoteScheduledJob({ db, jobId, force: true }))) await notScheduled(db, jobId);
  return db.job.findUniqueOrThrow({ where: { id: jobId } });
}

/** "Unschedule" a delayed job: it becomes a manual job a user may play later. */
export async function unscheduleJob({ db, jobId }: ScheduledJobOptions): Promise<Job> {
  const effects: Effects = noEffects();
  const moved = await db.$transaction(async (tx) => {
    const pipelineId = await lockPipelineOf(tx, jobId);
    if (pipelineId === null) return false;
    const { count } = await tx.job.updateMany({
      where: { id: jobId, status: "scheduled" },
      data: { status: "manual", scheduledAt: null },
    });
    if (count !== 1) return false;
    const { projectId } = await tx.job.findUniqueOrThrow({
      where: { id: jobId },
      select: { projectId: true },
    });
    effects.events.push({ kind: "job", id: jobId, pipelineId, projectId, status: "manual" });
    await advanceInTransaction(tx, pipelineId, effects);
    return true;
  });
  await runEffects(effects);
  if (!moved) await notScheduled(db, jobId);
  return db.job.findUniqueOrThrow({ where: { id: jobId } });
}

/** Promotes every due scheduled job (the reconciler's sweep); returns how many moved. */
export async function promoteDueScheduledJobs({
  db,
  now = new Date(),
}: {
  db: Db;
  now?: Date;
}): Promise<number> {
  const due = await db.job.findMany({
    where: { status: "scheduled", scheduledAt: { lte: now } },
    select: { id: true },
    orderBy: { scheduledAt: "asc" },
  });
  let moved = 0;
  for (const { id } of due) if (await promoteScheduledJob({ db, jobId: id, now })) moved++;
  return moved;
}

async function lockPipelineOf(tx: Tx, jobId: number): Promise<number | null> {
  const job = await tx.job.findUnique({ where: { id: jobId }, select: { pipelineId: true } });
  if (!job) return null;
  await tx.$queryRaw`SELECT id FROM pipelines WHERE id = ${job.pipelineId} FOR UPDATE`;
  return job.pipelineId;
}

async function notScheduled(db: Db, jobId: number): Promise<never> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!job) throw new AppError("not_found", "Job not found");
  throw new AppError("conflict", `Job is ${job.status}, not scheduled`, { status: job.status });
}
