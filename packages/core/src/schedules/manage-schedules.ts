/**
 * Pipeline schedules: create, list, read, update, delete. Like GitLab, developers may create
 * schedules and manage their own; maintainers manage everyone's. Saving recomputes `nextRunAt` from
 * the cron (null while inactive) and wakes this process's scheduler, so a new tick is never missed
 * by a sleeping loop.
 */
import type { Db, PipelineSchedule, Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { checkPipelineVariables } from "../pipelines/job-row-spec.ts";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { assertCanRead, canManageProject, canPushCode } from "../projects/permissions.ts";
import { checkCron, nextCronTick } from "./cron.ts";
import { wakeScheduler } from "./wake.ts";

export type ScheduleInfo = PipelineSchedule & {
  owner: { id: number; username: string; name: string } | null;
  lastPipeline: { id: number; iid: number; sha: string; ref: string; status: string } | null;
};

export interface ScheduleInput {
  description?: string;
  cron?: string;
  cronTimezone?: string;
  ref?: string;
  active?: boolean;
  variables?: Record<string, string>;
}

interface Base {
  db: Db;
  actor: User | null;
  project: Project;
}

/** Developer+ (GitLab's create_pipeline_schedule); returns the level for finer checks. */
async function assertDeveloper(db: Db, actor: User | null, project: Project): Promise<number> {
  const level = await accessLevelFor({ db, user: actor, project });
  assertCanRead(actor, project, level);
  if (!canPushCode(level)) {
    if (!actor) throw new AppError("unauthorized", "401 Unauthorized");
    throw new AppError("forbidden", "403 Forbidden");
  }
  return level;
}

async function withDetails(db: Db, s: PipelineSchedule): Promise<ScheduleInfo> {
  const [owner, lastPipeline] = await Promise.all([
    s.ownerId
      ? db.user.findUnique({ where: { id: s.ownerId }, select: { id: true, username: true, name: true } })
      : null,
    s.lastPipelineId
      ? db.pipeline.findUnique({
          where: { id: s.lastPipelineId },
          select: { id: true, iid: true, sha: true, ref: true, status: true },
        })
      : null,
  ]);
  return { ...s, owner, lastPipeline };
}

function validate(input: ScheduleInput, current?: PipelineSchedule) {
  const description = (input.description ?? current?.description ?? "").trim();
  const ref = (input.ref ?? current?.ref ?? "").trim().replace(/^refs\/(heads|tags)\//, "");
  const cronTimezone = (input.cronTimezone ?? current?.cronTimezone ?? "UTC").trim() || "UTC";
  if (!description) throw new AppError("invalid_input", "description is missing");
  if (description.length > 255) throw new AppError("invalid_input", "description is too long");
  if (!ref) throw new AppError("invalid_input", "ref is missing");
  const cronRaw = input.cron ?? current?.cron;
  if (!cronRaw) throw new AppError("invalid_input", "cron is missing");
  const cron = checkCron(cronRaw, cronTimezone);
  const active = input.active ?? current?.active ?? true;
  const variables = input.variables ?? (current?.variables as Record<string, string> | undefined) ?? {};
  checkPipelineVariables(variables);
  const nextRunAt = active ? nextCronTick(cron, cronTimezone, new Date()) : null;
  return { description, ref, cronTimezone, cron, active, variables, nextRunAt };
}

export async function createSchedule({ db, actor, project, input }: Base & { input: ScheduleInput }) {
  await assertDeveloper(db, actor, project);
  const data = validate(input);
  const s = await db.pipelineSchedule.create({
    data: { ...data, projectId: project.id, ownerId: actor?.id ?? null },
  });
  wakeScheduler();
  return withDetails(db, s);
}

export async function listSchedules({
  db,
  actor,
  project,
  scope,
}: Base & { scope?: "active" | "inactive" }): Promise<ScheduleInfo[]> {
  await assertDeveloper(db, actor, project);
  const rows = await db.pipelineSchedule.findMany({
    where: { projectId: project.id, ...(scope ? { active: scope === "active" } : {}) },
    orderBy: { id: "asc" },
  });
  return Promise.all(rows.map((s) => withDetails(db, s)));
}

export async function getSchedule({ db, actor, project, id }: Base & { id: number }): Promise<ScheduleInfo> {
  await assertDeveloper(db, actor, project);
  return withDetails(db, await findOwned(db, project, id));
}

async function findOwned(db: Db, project: Project, id: number): Promise<PipelineSchedule> {
  const s = await db.pipelineSchedule.findFirst({ where: { id, projectId: project.id } });
  if (!s) throw new AppError("not_found", "404 Pipeline Schedule Not Found");
  return s;
}

/** Owner of the schedule or maintainer+. */
async function assertCanChange(db: Db, actor: User | null, project: Project, s: PipelineSchedule) {
  const level = await assertDeveloper(db, actor, project);
  if (!canManageProject(level) && s.ownerId !== actor?.id) throw new AppError("forbidden", "403 Forbidden");
}

export async function updateSchedule({
  db,
  actor,
  project,
  id,
  input,
}: Base & { id: number; input: ScheduleInput }): Promise<ScheduleInfo> {
  const current = await findOwned(db, project, id);
  await assertCanChange(db, actor, project, current);
  const data = validate(input, current);
  const s = await db.pipelineSchedule.update({ where: { id }, data });
  wakeScheduler();
  return withDetails(db, s);
}

/** GitLab's "take ownership": the schedule then runs as `actor`. Maintainer+. */
export async function takeScheduleOwnership({ db, actor, project, id }: Base & { id: number }) {
  const level = await assertDeveloper(db, actor, project);
  await findOwned(db, project, id);
  if (!canManageProject(level) || !actor) throw new AppError("forbidden", "403 Forbidden");
  return withDetails(db, await db.pipelineSchedule.update({ where: { id }, data: { ownerId: actor.id } }));
}

export async function deleteSchedule({
  db,
  actor,
  project,
  id,
}: Base & { id: number }): Promise<ScheduleInfo> {
  const current = await findOwned(db, project, id);
  await assertCanChange(db, actor, project, current);
  const info = await withDetails(db, current);
  await db.pipelineSchedule.delete({ where: { id } });
  return info;
}
