import { ACCESS_LEVELS, deleteHook, getHook, toApiHook, updateHook } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../server/api-auth";
import { parseParams, readParams } from "../../../../../../../server/api-params";
import { projectRoute } from "../../../../../../../server/api-route";
import { json } from "../../../../../../../server/http";
import { HookParams, toHookInput } from "../params";

export const dynamic = "force-dynamic";

type P = { id: string; hook_id: string };
const maintainer = { minLevel: ACCESS_LEVELS.maintainer };
const hid = (p: P) => apiId(p.hook_id, "Hook");

export const GET = projectRoute<P>(async ({ user, project, params }) => {
  return json(toApiHook(await getHook({ db: getDb(), actor: user, project, id: hid(params) })));
}, maintainer);

export const PUT = projectRoute<P>(async ({ req, user, project, params }) => {
  const p = parseParams(HookParams, await readParams(req));
  return json(
    toApiHook(
      await updateHook({ db: getDb(), actor: user, project, id: hid(params), input: toHookInput(p) }),
    ),
  );
}, maintainer);

/** DELETE …/hooks/:hook_id — 204. */
export const DELETE = projectRoute<P>(async ({ user, project, params }) => {
  await deleteHook({ db: getDb(), actor: user, project, id: hid(params) });
  return new Response(null, { status: 204 });
}, maintainer);
