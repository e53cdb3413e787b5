import { AppError, listApiUsers, toApiUser } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { apiRoute } from "../../../../server/api-route";
import { parseParams, readParams } from "../../../../server/api-params";
import { pageRequest, paginatedJson } from "../../../../server/pagination";

export const dynamic = "force-dynamic";

const Params = z.object({
  username: z.string().min(1).max(255).optional(),
  search: z.string().max(255).optional(),
});

/**
 * GET /api/v4/users — `?username=` (exact) or `?search=`. Anonymous callers may only look up a
 * username, as in GitLab; emails are searched and shown to admins only.
 */
export const GET = apiRoute(
  async ({ req, user }) => {
    const p = parseParams(Params, await readParams(req));
    if (!user && p.username === undefined)
      throw new AppError("forbidden", "403 Forbidden - Not authorized to access /api/v4/users");
    const pr = pageRequest(req);
    const { items, total } = await listApiUsers({
      db: getDb(),
      username: p.username,
      search: p.search,
      searchEmail: user?.isAdmin ?? false,
      ...pr,
    });
    return paginatedJson(
      req,
      pr,
      items.map((u) => toApiUser(u, user)),
      total,
    );
  },
  { scope: "user" },
);
