import { ACCESS_LEVELS, deleteSchedule, getSchedule, toApiSchedule, updateSchedule } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../server/api-auth";
import { parseParams, readParams } from "../../../../../../../server/api-params";
import { projectRoute } from "../../../../../../../server/api-route";
import { json } from "../../../../../../../server/http";
import { ScheduleParams, toScheduleInput } from "../params";

export const dynamic = "force-dynamic";

type P = { id: string; schedule_id: string };
const developer = { minLevel: ACCESS_LEVELS.developer };
const sid = (p: P) => apiId(p.schedule_id, "Pipeline Schedule");

export const GET = projectRoute<P>(async ({ user, project, params }) => {
  const s = await getSchedule({ db: getDb(), actor: user, project, id: sid(params) });
  return json(toApiSchedule(s, { variables: true }));
}, developer);

/** PUT …/pipeline_schedules/:schedule_id — the schedule's owner or maintainer+. */
export const PUT = projectRoute<P>(async ({ req, user, project, params }) => {
  const p = parseParams(ScheduleParams, await readParams(req));
  const s = await updateSchedule({
    db: getDb(),
    actor: user,
    project,
    id: sid(params),
    input: toScheduleInput(p),
  });
  return json(toApiSchedule(s, { variables: true }));
}, developer);

/** DELETE answers the deleted schedule with 200, as GitLab. */
export const DELETE = projectRoute<P>(async ({ user, project, params }) => {
  const s = await deleteSchedule({ db: getDb(), actor: user, project, id: sid(params) });
  return json(toApiSchedule(s, { variables: true }));
}, developer);
