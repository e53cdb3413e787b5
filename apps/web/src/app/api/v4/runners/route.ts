import { apiRoute } from "../../../../server/api-route";
import { runnerList } from "../../../../server/api-runners";

export const dynamic = "force-dynamic";

/**
 * GET /api/v4/runners — runners the caller owns. minilab's runners are instance runners, managed by
 * admins, so admins see them all here and everyone else an empty list (GitLab lists no instance
 * runners here for non-admins either).
 */
export const GET = apiRoute(async ({ req, user }) => runnerList(req, () => user?.isAdmin === true));
