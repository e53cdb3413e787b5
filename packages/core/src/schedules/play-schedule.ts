import type { Db, Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { assertCanRead, canPushCode } from "../projects/permissions.ts";
import { runScheduleNow } from "./run-schedule.ts";

/**
 * "Run now" (`POST …/pipeline_schedules/:id/play`): one pipeline right away, as the schedule's owner,
 * leaving the cron's next tick untouched. Developer+. Returns the pipeline id, or throws the reason
 * none was created (also stored on the schedule).
 */
export async function playSchedule({
  db,
  actor,
  project,
  id,
}: {
  db: Db;
  actor: User | null;
  project: Project;
  id: number;
}): Promise<number> {
  const level = await accessLevelFor({ db, user: actor, project });
  assertCanRead(actor, project, level);
  if (!canPushCode(level)) throw new AppError("forbidden", "403 Forbidden");
  const s = await db.pipelineSchedule.findFirst({ where: { id, projectId: project.id } });
  if (!s) throw new AppError("not_found", "404 Pipeline Schedule Not Found");
  const pipelineId = await runScheduleNow(db, s);
  if (pipelineId === null) {
    const after = await db.pipelineSchedule.findUnique({ where: { id }, select: { lastError: true } });
    throw new AppError("invalid_input", after?.lastError ?? "The schedule created no pipeline");
  }
  return pipelineId;
}
