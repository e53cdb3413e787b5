import { getCommitWithDiff, toApiCommit } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../../server/api-route";
import { commitOf, segmentFromEnd } from "../../../../../../../../server/api-repository";
import { json } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/repository/commits/:sha — a sha, or a branch or tag name. */
export const GET = projectRoute<{ id: string; sha: string }>(
  async ({ req, user, project }) => {
    const sha = await commitOf(user, project, segmentFromEnd(req, 0));
    const { commit, diff } = await getCommitWithDiff({ db: getDb(), user, project, sha });
    const additions = diff.files.reduce((n, f) => n + f.additions, 0);
    const deletions = diff.files.reduce((n, f) => n + f.deletions, 0);
    return json({
      ...toApiCommit(commit, project),
      stats: { additions, deletions, total: additions + deletions },
      status: null,
      last_pipeline: null,
    });
  },
  { repository: true },
);
