import { ACCESS_LEVELS, deleteProjectVariable, toApiVariable, updateProjectVariable } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../server/api-route";
import { parseParams, readParams } from "../../../../../../../server/api-params";
import { UpdateVariable, variableByKey } from "../../../../../../../server/api-variables";
import { json } from "../../../../../../../server/http";

export const dynamic = "force-dynamic";

type P = { id: string; key: string };
const maintainer = { minLevel: ACCESS_LEVELS.maintainer };

/** GET /api/v4/projects/:id/variables/:key */
export const GET = projectRoute<P>(
  async ({ user, project, params }) => json(toApiVariable(await variableByKey(user, project, params.key))),
  maintainer,
);

/** PUT /api/v4/projects/:id/variables/:key — omitted fields keep their value. */
export const PUT = projectRoute<P>(async ({ req, user, project, params }) => {
  const current = await variableByKey(user, project, params.key);
  const p = parseParams(UpdateVariable, await readParams(req));
  const v = await updateProjectVariable({
    db: getDb(),
    actor: user,
    project,
    id: current.id,
    variable: {
      key: current.key,
      value: p.value,
      masked: p.masked ?? current.masked,
      protected: p.protected ?? current.protected,
      raw: p.raw ?? current.raw ?? false,
    },
  });
  return json(toApiVariable(v));
}, maintainer);

/** DELETE /api/v4/projects/:id/variables/:key — 204. */
export const DELETE = projectRoute<P>(async ({ user, project, params }) => {
  const current = await variableByKey(user, project, params.key);
  await deleteProjectVariable({ db: getDb(), actor: user, project, id: current.id });
  return new Response(null, { status: 204 });
}, maintainer);
