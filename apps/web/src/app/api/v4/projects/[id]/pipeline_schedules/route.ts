import { ACCESS_LEVELS, createSchedule, listSchedules, toApiSchedule } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { parseParams, readParams } from "../../../../../../server/api-params";
import { projectRoute } from "../../../../../../server/api-route";
import { json } from "../../../../../../server/http";
import { ScheduleParams, toScheduleInput } from "./params";

export const dynamic = "force-dynamic";

const developer = { minLevel: ACCESS_LEVELS.developer };
const Scope = z.object({ scope: z.enum(["active", "inactive"]).optional() });

/** GET /api/v4/projects/:id/pipeline_schedules[?scope=active|inactive] — developer+. */
export const GET = projectRoute<{ id: string }>(async ({ user, project, query }) => {
  const { scope } = parseParams(Scope, Object.fromEntries(query));
  const list = await listSchedules({ db: getDb(), actor: user, project, ...(scope ? { scope } : {}) });
  return json(list.map((s) => toApiSchedule(s)));
}, developer);

const CreateParams = ScheduleParams.required({ description: true, ref: true, cron: true });

/** POST /api/v4/projects/:id/pipeline_schedules — 201; the caller owns the schedule. */
export const POST = projectRoute<{ id: string }>(async ({ req, user, project }) => {
  const p = parseParams(CreateParams, await readParams(req));
  const s = await createSchedule({ db: getDb(), actor: user, project, input: toScheduleInput(p) });
  return json(toApiSchedule(s, { variables: true }), { status: 201 });
}, developer);
