import { ACCESS_LEVELS, AppError, getSchedule, updateSchedule } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { parseParams, readParams } from "../../../../../../../../server/api-params";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";
import { VariableParams } from "../../params";

export const dynamic = "force-dynamic";

/** POST …/pipeline_schedules/:schedule_id/variables — adds one variable (400 if the key exists). */
export const POST = projectRoute<{ id: string; schedule_id: string }>(
  async ({ req, user, project, params }) => {
    const p = parseParams(VariableParams, await readParams(req));
    const db = getDb();
    const id = apiId(params.schedule_id, "Pipeline Schedule");
    const s = await getSchedule({ db, actor: user, project, id });
    const vars = { ...(s.variables as Record<string, string>) };
    if (p.key in vars) throw new AppError("invalid_input", "has already been taken", { field: "key" });
    vars[p.key] = p.value;
    await updateSchedule({ db, actor: user, project, id, input: { variables: vars } });
    return json({ key: p.key, value: p.value, variable_type: "env_var", raw: false }, { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.developer },
);
