import { AppError, toApiUser } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../server/api-auth";
import { apiRoute } from "../../../../../server/api-route";
import { json } from "../../../../../server/http";

export const dynamic = "force-dynamic";

/** GET /api/v4/users/:id — private fields (email, is_admin) only for the user themselves and admins. */
export const GET = apiRoute<{ id: string }>(
  async ({ params, user }) => {
    const found = await getDb().user.findUnique({ where: { id: apiId(params.id, "User") } });
    if (!found) throw new AppError("not_found", "404 User Not Found");
    return json(toApiUser(found, user));
  },
  { scope: "user" },
);
