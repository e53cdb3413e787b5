import { AppError } from "@minilab/core";
import { env } from "../../../../env";
import { apiReader } from "../../../../server/api-auth";
import { handle, json } from "../../../../server/http";

export const dynamic = "force-dynamic";

/** GET /api/v4/user — the authenticated user (GitLab's shape, the fields minilab has). */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await apiReader(req);
    if (!user) throw new AppError("unauthorized", "401 Unauthorized");
    return json({
      id: user.id,
      username: user.username,
      name: user.name || user.username,
      email: user.email,
      state: "active",
      avatar_url: null,
      web_url: `${env().externalUrl}/${user.username}`,
      created_at: user.createdAt.toISOString(),
      is_admin: user.isAdmin,
    });
  });
}
