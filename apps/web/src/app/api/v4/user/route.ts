import { toApiUser } from "@minilab/core";
import { userRoute } from "../../../../server/api-route";
import { json } from "../../../../server/http";

export const dynamic = "force-dynamic";

/** GET /api/v4/user — the authenticated user (GitLab's shape, the fields minilab has). */
export const GET = userRoute(async ({ user }) => json(toApiUser(user, user)), { scope: "user" });
