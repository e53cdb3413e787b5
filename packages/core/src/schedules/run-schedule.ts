/**
 * Turning schedules into pipelines.
 *
 * Exactly once per tick, whatever the number of processes: every scheduler loop reads the due rows,
 * then claims each with a compare-and-set `UPDATE … SET next_run_at = <next tick> WHERE id = … AND
 * next_run_at = <due>`. Postgres lets exactly one of several racing updates change the row; only the
 * process whose update changed it creates the pipeline. The next tick is computed from now, so a
 * schedule that was due several times while no process ran fires once (as GitLab) and moves on.
 */
import type { Db, PipelineSchedule, Project } from "@minilab/db";
import { AppError, isAppError } from "../errors.ts";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { canPushCode } from "../projects/permissions.ts";
import { resolvePipelineRef } from "../triggers/resolve-pipeline-ref.ts";
import { startPipelineAt } from "../triggers/run-trigger.ts";
import { nextCronTick } from "./cron.ts";

export interface RunDueSchedulesResult {
  /** Schedules this call claimed (whether or not a pipeline came out). */
  claimed: number;
  pipelineIds: number[];
}

export async function runDueSchedules({
  db,
  now = new Date(),
  limit = 100,
}: {
  db: Db;
  now?: Date;
  limit?: number;
}): Promise<RunDueSchedulesResult> {
  const due = await db.pipelineSchedule.findMany({
    where: { active: true, nextRunAt: { lte: now } },
    orderBy: { nextRunAt: "asc" },
    take: limit,
  });
  const result: RunDueSchedulesResult = { claimed: 0, pipelineIds: [] };
  for (const s of due) {
    if (!s.nextRunAt) continue;
    let next: Date | null;
    try {
      next = nextCronTick(s.cron, s.cronTimezone, now);
    } catch {
      next = null; // An expression that stopped parsing (e.g. a time zone removed): deactivate.
    }
    const { count } = await db.pipelineSchedule.updateMany({
      where: { id: s.id, active: true, nextRunAt: s.nextRunAt },
      data: next ? { nextRunAt: next } : { nextRunAt: null, active: false, lastError: "invalid cron" },
    });
    if (count !== 1 || !next) continue;
    result.claimed++;
    const pipelineId = await runScheduleNow(db, s);
    if (pipelineId !== null) result.pipelineIds.push(pipelineId);
  }
  return result;
}

/**
 * One run of a schedule, as its owner, `source: schedule`. Failures are the schedule's (shown on its
 * page as `lastError`), not the caller's: returns the pipeline id or null.
 */
export async function runScheduleNow(db: Db, s: PipelineSchedule): Promise<number | null> {
  try {
    const pipeline = await createSchedulePipeline(db, s);
    await db.pipelineSchedule.update({
      where: { id: s.id },
      data: { lastPipelineId: pipeline.id, lastError: null },
    });
    return pipeline.id;
  } catch (e) {
    if (!isAppError(e)) console.error(`minilab scheduler: schedule ${s.id} failed`, e);
    const message = isAppError(e) ? e.message : "internal error";
    const failedPipeline = isAppError(e) && typeof e.details?.["id"] === "number" ? e.details["id"] : null;
    await db.pipelineSchedule
      .update({
        where: { id: s.id },
        data: { lastError: message, ...(failedPipeline ? { lastPipelineId: failedPipeline } : {}) },
      })
      .catch(() => undefined);
    return null;
  }
}

async function createSchedulePipeline(db: Db, s: PipelineSchedule) {
  const project: Project | null = await db.project.findUnique({ where: { id: s.projectId } });
  const owner = s.ownerId ? await db.user.findUnique({ where: { id: s.ownerId } }) : null;
  if (!project) throw new AppError("not_found", "project not found");
  // Runs as its owner, so the owner must still be allowed to run pipelines (GitLab: "take ownership").
  if (!owner || !canPushCode(await accessLevelFor({ db, user: owner, project })))
    throw new AppError("forbidden", "The schedule's owner may no longer run pipelines: take ownership");
  const resolved = await resolvePipelineRef(project, s.ref);
  if (!resolved) throw new AppError("invalid_input", "Reference not found");
  const variables = (s.variables ?? {}) as Record<string, string>;
  return startPipelineAt({ db, project, ...resolved, source: "schedule", userId: owner.id, variables });
}
