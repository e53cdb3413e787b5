import { ACCESS_LEVELS, createHook, listHooks, toApiHook } from "@minilab/core";
import { getDb } from "@minilab/db";
import { parseParams, readParams } from "../../../../../../server/api-params";
import { projectRoute } from "../../../../../../server/api-route";
import { json } from "../../../../../../server/http";
import { HookParams, toHookInput } from "./params";

export const dynamic = "force-dynamic";

const maintainer = { minLevel: ACCESS_LEVELS.maintainer };

/** GET /api/v4/projects/:id/hooks — maintainer+. */
export const GET = projectRoute<{ id: string }>(async ({ user, project }) => {
  const hooks = await listHooks({ db: getDb(), actor: user, project });
  return json(hooks.map(toApiHook));
}, maintainer);

/** POST /api/v4/projects/:id/hooks — `url` required; a local-network URL is refused (400) unless allowed. */
export const POST = projectRoute<{ id: string }>(async ({ req, user, project }) => {
  const p = parseParams(HookParams.required({ url: true }), await readParams(req));
  const hook = await createHook({ db: getDb(), actor: user, project, input: toHookInput(p) });
  return json(toApiHook(hook), { status: 201 });
}, maintainer);
