import { ACCESS_LEVELS, listHookDeliveries, toApiHookDelivery } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

/** GET …/hooks/:hook_id/events — the delivery log, newest first (last 50). */
export const GET = projectRoute<{ id: string; hook_id: string }>(
  async ({ user, project, params }) => {
    const rows = await listHookDeliveries({
      db: getDb(),
      actor: user,
      project,
      id: apiId(params.hook_id, "Hook"),
    });
    return json(rows.map(toApiHookDelivery));
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);
