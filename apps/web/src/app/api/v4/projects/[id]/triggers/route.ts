import { ACCESS_LEVELS, createTrigger, listTriggers, toApiTrigger } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { parseParams, readParams } from "../../../../../../server/api-params";
import { projectRoute } from "../../../../../../server/api-route";
import { json } from "../../../../../../server/http";

export const dynamic = "force-dynamic";

const maintainer = { minLevel: ACCESS_LEVELS.maintainer };

/** GET /api/v4/projects/:id/triggers — maintainer+; tokens are shown as their prefix. */
export const GET = projectRoute<{ id: string }>(async ({ user, project }) => {
  const triggers = await listTriggers({ db: getDb(), actor: user, project });
  return json(triggers.map((t) => toApiTrigger(t)));
}, maintainer);

const CreateParams = z.object({ description: z.string().max(255) });

/** POST /api/v4/projects/:id/triggers — 201 with the full token, the only time it is shown. */
export const POST = projectRoute<{ id: string }>(async ({ req, user, project }) => {
  const p = parseParams(CreateParams, await readParams(req));
  const { token, trigger } = await createTrigger({
    db: getDb(),
    actor: user,
    project,
    description: p.description,
  });
  return json(toApiTrigger(trigger, token), { status: 201 });
}, maintainer);
