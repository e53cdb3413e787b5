import { AppError, listPersonalAccessTokens, toApiPersonalAccessToken } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { userRoute } from "../../../../server/api-route";
import { parseParams, readParams, zBool, zId } from "../../../../server/api-params";
import { paginateArray } from "../../../../server/pagination";

export const dynamic = "force-dynamic";

const Params = z.object({
  user_id: zId.optional(),
  state: z.enum(["active", "inactive"]).optional(),
  revoked: zBool.optional(),
  search: z.string().max(255).optional(),
});

/**
 * GET /api/v4/personal_access_tokens — the caller's tokens (admins: anyone's with `user_id`),
 * newest first; `state`, `revoked` and `search` filter. Token values are never shown again.
 */
export const GET = userRoute(async ({ req, user }) => {
  const p = parseParams(Params, await readParams(req));
  const userId = p.user_id ?? user.id;
  if (userId !== user.id && !user.isAdmin) throw new AppError("forbidden", "403 Forbidden");
  const now = new Date();
  const tokens = (await listPersonalAccessTokens({ db: getDb(), userId }))
    .map((t) => toApiPersonalAccessToken(t, now))
    .filter(
      (t) =>
        (p.state === undefined || t.active === (p.state === "active")) &&
        (p.revoked === undefined || t.revoked === p.revoked) &&
        (!p.search || t.name.toLowerCase().includes(p.search.toLowerCase())),
    );
  return paginateArray(req, tokens);
});
