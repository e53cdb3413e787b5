/**
 * Moves a pipeline forward after any job state change: decides `created` jobs of the stage that is
 * now current (see stage-machine.ts) and derives the pipeline status.
 *
 * Concurrency: runs under `SELECT … FOR UPDATE` on the pipeline row, so advances of one pipeline are
 * serialised and each sees every job change committed before it. Job transitions are compare-and-set
 * (`WHERE status = 'created'`); claim/finish change other statuses and never race with these.
 * Idempotent: advancing an up-to-date pipeline changes nothing.
 */
import type { Db, Prisma } from "@minilab/db";
import { jobTags } from "../runners/job-tags.ts";
import { noEffects, runEffects, type Effects } from "./effects.ts";
import { nextTransitions, pipelineStatus, TERMINAL_PIPELINE } from "./stage-machine.ts";

export type Tx = Prisma.TransactionClient;

export interface AdvancePipelineOptions {
  db: Db;
  pipelineId: number;
}

export async function advancePipeline({ db, pipelineId }: AdvancePipelineOptions): Promise<void> {
  const effects = await db.$transaction((tx) => advanceInTransaction(tx, pipelineId));
  await runEffects(effects);
}

/** The transactional part, for use-cases that advance inside their own transaction. */
export async function advanceInTransaction(
  tx: Tx,
  pipelineId: number,
  effects: Effects = noEffects(),
): Promise<Effects> {
  const locked = await tx.$queryRaw<
    { id: number }[]
  >`SELECT id FROM pipelines WHERE id = ${pipelineId} FOR UPDATE`;
  if (locked.length === 0) return effects;
  const pipeline = await tx.pipeline.findUniqueOrThrow({
    where: { id: pipelineId },
    select: { id: true, projectId: true, status: true, startedAt: true, finishedAt: true },
  });
  const jobs = await tx.job.findMany({
    where: { pipelineId },
    select: { id: true, stageIdx: true, status: true, when: true, allowFailure: true, spec: true },
    orderBy: [{ stageIdx: "asc" }, { id: "asc" }],
  });

  const now = new Date();
  for (const t of nextTransitions(jobs)) {
    const { count } = await tx.job.updateMany({
      where: { id: t.id, status: "created" },
      data: {
        status: t.to,
        ...(t.to === "pending" ? { queuedAt: now } : {}),
        ...(t.to === "skipped" ? { finishedAt: now } : {}),
      },
    });
    if (count === 0) continue;
    const job = jobs.find((j) => j.id === t.id);
    if (job) job.status = t.to;
    if (t.to === "pending") {
      effects.enqueue.push(t.id);
      (effects.enqueueTags ??= new Map()).set(t.id, jobTags(job?.spec));
    }
    effects.events.push({ kind: "job", id: t.id, pipelineId, projectId: pipeline.projectId, status: t.to });
  }

  const status = pipelineStatus(jobs);
  if (status === pipeline.status) return effects;
  const terminal = TERMINAL_PIPELINE.has(status);
  await tx.pipeline.update({
    where: { id: pipelineId },
    data: {
      status,
      ...(status === "running" && !pipeline.startedAt ? { startedAt: now } : {}),
      finishedAt: terminal ? (pipeline.finishedAt ?? now) : null,
    },
  });
  effects.events.push({
    kind: "pipeline",
    id: pipelineId,
    pipelineId,
    projectId: pipeline.projectId,
    status,
  });
  return effects;
}
