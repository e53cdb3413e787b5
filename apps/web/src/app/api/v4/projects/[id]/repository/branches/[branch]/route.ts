import { AppError, getCommitWithDiff, listProjectBranches, toApiBranch } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../../server/api-route";
import { branchFlagger, segmentFromEnd } from "../../../../../../../../server/api-repository";
import { json } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/repository/branches/:branch (URL-encoded: `feature%2Fx`). */
export const GET = projectRoute<{ id: string; branch: string }>(
  async ({ req, user, project, level }) => {
    const name = segmentFromEnd(req, 0);
    const db = getDb();
    const ref = (await listProjectBranches({ db, user, project })).find((r) => r.name === name);
    if (!ref) throw new AppError("not_found", "404 Branch Not Found");
    const { commit } = await getCommitWithDiff({ db, user, project, sha: ref.sha });
    return json(toApiBranch(ref, project, (await branchFlagger(project, level))(name), commit));
  },
  { repository: true },
);
