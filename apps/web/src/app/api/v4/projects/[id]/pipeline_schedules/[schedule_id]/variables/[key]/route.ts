import { ACCESS_LEVELS, AppError, getSchedule, updateSchedule } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { apiId } from "../../../../../../../../../server/api-auth";
import { parseParams, readParams } from "../../../../../../../../../server/api-params";
import { projectRoute } from "../../../../../../../../../server/api-route";
import { json } from "../../../../../../../../../server/http";

export const dynamic = "force-dynamic";

type P = { id: string; schedule_id: string; key: string };
const developer = { minLevel: ACCESS_LEVELS.developer };

async function change(
  ctx: {
    user: Parameters<typeof getSchedule>[0]["actor"];
    project: Parameters<typeof getSchedule>[0]["project"];
    params: P;
  },
  value: string | null,
) {
  const db = getDb();
  const id = apiId(ctx.params.schedule_id, "Pipeline Schedule");
  const s = await getSchedule({ db, actor: ctx.user, project: ctx.project, id });
  const vars = { ...(s.variables as Record<string, string>) };
  const key = ctx.params.key;
  const old = vars[key];
  if (old === undefined) throw new AppError("not_found", "404 Variable Not Found");
  if (value === null) delete vars[key];
  else vars[key] = value;
  await updateSchedule({ db, actor: ctx.user, project: ctx.project, id, input: { variables: vars } });
  return json({ key, value: value ?? old, variable_type: "env_var", raw: false });
}

/** PUT …/variables/:key — new value. */
export const PUT = projectRoute<P>(async ({ req, user, project, params }) => {
  const p = parseParams(z.object({ value: z.string() }), await readParams(req));
  return change({ user, project, params }, p.value);
}, developer);

/** DELETE …/variables/:key — answers the deleted variable. */
export const DELETE = projectRoute<P>(
  async ({ user, project, params }) => change({ user, project, params }, null),
  developer,
);
