import { ACCESS_LEVELS, takeScheduleOwnership, toApiSchedule } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

/** POST …/pipeline_schedules/:schedule_id/take_ownership — maintainer+. */
export const POST = projectRoute<{ id: string; schedule_id: string }>(
  async ({ user, project, params }) => {
    const s = await takeScheduleOwnership({
      db: getDb(),
      actor: user,
      project,
      id: apiId(params.schedule_id, "Pipeline Schedule"),
    });
    return json(toApiSchedule(s, { variables: true }), { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);
