import { ACCESS_LEVELS, playSchedule } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

/** POST …/pipeline_schedules/:schedule_id/play — runs it now: 201 `{"message": "201 Created"}`. */
export const POST = projectRoute<{ id: string; schedule_id: string }>(
  async ({ user, project, params }) => {
    await playSchedule({
      db: getDb(),
      actor: user,
      project,
      id: apiId(params.schedule_id, "Pipeline Schedule"),
    });
    return json({ message: "201 Created" }, { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.developer },
);
