import { ACCESS_LEVELS, removeProjectMember, toApiMember, updateProjectMember } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { apiId } from "../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../server/api-route";
import { parseParams, readParams } from "../../../../../../../server/api-params";
import { AccessLevelParam, memberOf } from "../../../../../../../server/api-members";
import { json } from "../../../../../../../server/http";

export const dynamic = "force-dynamic";

type P = { id: string; user_id: string };

/** GET /api/v4/projects/:id/members/:user_id */
export const GET = projectRoute<P>(async ({ project, params }) =>
  json(toApiMember(await memberOf(project, apiId(params.user_id, "Member")))),
);

/** PUT /api/v4/projects/:id/members/:user_id — `access_level`; maintainer+ (owner role: owners). */
export const PUT = projectRoute<P>(
  async ({ req, user, project, params }) => {
    const userId = apiId(params.user_id, "Member");
    const p = parseParams(z.object({ access_level: AccessLevelParam }), await readParams(req));
    await memberOf(project, userId);
    await updateProjectMember({ db: getDb(), actor: user, project, userId, accessLevel: p.access_level });
    return json(toApiMember(await memberOf(project, userId)));
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);

/** DELETE /api/v4/projects/:id/members/:user_id — 204; never the namespace owner or the last owner. */
export const DELETE = projectRoute<P>(
  async ({ user, project, params }) => {
    const userId = apiId(params.user_id, "Member");
    await memberOf(project, userId);
    await removeProjectMember({ db: getDb(), actor: user, project, userId });
    return new Response(null, { status: 204 });
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);
