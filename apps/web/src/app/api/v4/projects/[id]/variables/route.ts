import { ACCESS_LEVELS, createProjectVariable, listProjectVariables, toApiVariable } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../server/api-route";
import { parseParams, readParams } from "../../../../../../server/api-params";
import { CreateVariable } from "../../../../../../server/api-variables";
import { json } from "../../../../../../server/http";
import { paginateArray } from "../../../../../../server/pagination";

export const dynamic = "force-dynamic";

const maintainer = { minLevel: ACCESS_LEVELS.maintainer };

/** GET /api/v4/projects/:id/variables — maintainer+ (values are secrets), by key. */
export const GET = projectRoute<{ id: string }>(async ({ req, user, project }) => {
  const vars = await listProjectVariables({ db: getDb(), actor: user, project });
  return paginateArray(req, vars, toApiVariable);
}, maintainer);

/** POST /api/v4/projects/:id/variables — 201; a taken key is GitLab's 400 naming `key`. */
export const POST = projectRoute<{ id: string }>(async ({ req, user, project }) => {
  const p = parseParams(CreateVariable, await readParams(req));
  const v = await createProjectVariable({
    db: getDb(),
    actor: user,
    project,
    variable: {
      key: p.key,
      value: p.value,
      masked: p.masked ?? false,
      protected: p.protected ?? false,
      raw: p.raw ?? false,
    },
  });
  return json(toApiVariable(v), { status: 201 });
}, maintainer);
