import { ACCESS_LEVELS } from "@minilab/core";
import { projectRoute } from "../../../../../../server/api-route";
import { runnerList } from "../../../../../../server/api-runners";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/runners — maintainer+: the active instance runners that serve the project. */
export const GET = projectRoute<{ id: string }>(async ({ req }) => runnerList(req, (r) => r.active), {
  minLevel: ACCESS_LEVELS.maintainer,
});
