import { AppError, getApplicationSettings, updateApplicationSettings } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { parseParams, readParams, zBool } from "../../../../../server/api-params";
import { userRoute } from "../../../../../server/api-route";
import { json } from "../../../../../server/http";

export const dynamic = "force-dynamic";

const view = (s: { allowLocalRequestsFromWebHooks: boolean }) => ({
  allow_local_requests_from_web_hooks_and_services: s.allowLocalRequestsFromWebHooks,
});

/** GET /api/v4/application/settings — admins only (the settings minilab has). */
export const GET = userRoute(async ({ user }) => {
  if (!user.isAdmin) throw new AppError("forbidden", "403 Forbidden");
  return json(view(await getApplicationSettings(getDb())));
});

const Params = z.object({ allow_local_requests_from_web_hooks_and_services: zBool.optional() });

/** PUT /api/v4/application/settings — `allow_local_requests_from_web_hooks_and_services`. */
export const PUT = userRoute(async ({ req, user }) => {
  const p = parseParams(Params, await readParams(req));
  const db = getDb();
  const current = await getApplicationSettings(db);
  const saved = await updateApplicationSettings({
    db,
    actor: user,
    allowLocalRequestsFromWebHooks:
      p.allow_local_requests_from_web_hooks_and_services ?? current.allowLocalRequestsFromWebHooks,
  });
  return json(view(saved));
});
