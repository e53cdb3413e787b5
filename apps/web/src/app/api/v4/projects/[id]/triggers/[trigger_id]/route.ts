import { ACCESS_LEVELS, getTrigger, revokeTrigger, toApiTrigger, updateTrigger } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { apiId } from "../../../../../../../server/api-auth";
import { parseParams, readParams } from "../../../../../../../server/api-params";
import { projectRoute } from "../../../../../../../server/api-route";
import { json } from "../../../../../../../server/http";

export const dynamic = "force-dynamic";

type P = { id: string; trigger_id: string };
const maintainer = { minLevel: ACCESS_LEVELS.maintainer };

export const GET = projectRoute<P>(async ({ user, project, params }) => {
  const t = await getTrigger({ db: getDb(), actor: user, project, id: apiId(params.trigger_id, "Trigger") });
  return json(toApiTrigger(t));
}, maintainer);

const UpdateParams = z.object({ description: z.string().max(255) });

export const PUT = projectRoute<P>(async ({ req, user, project, params }) => {
  const p = parseParams(UpdateParams, await readParams(req));
  const t = await updateTrigger({
    db: getDb(),
    actor: user,
    project,
    id: apiId(params.trigger_id, "Trigger"),
    description: p.description,
  });
  return json(toApiTrigger(t));
}, maintainer);

/** DELETE …/triggers/:trigger_id — revokes the token: 204. */
export const DELETE = projectRoute<P>(async ({ user, project, params }) => {
  await revokeTrigger({ db: getDb(), actor: user, project, id: apiId(params.trigger_id, "Trigger") });
  return new Response(null, { status: 204 });
}, maintainer);
