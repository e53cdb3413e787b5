import { AppError, getCommitWithDiff, listProjectTags, toApiTag } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../../server/api-route";
import { segmentFromEnd } from "../../../../../../../../server/api-repository";
import { json } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/repository/tags/:tag_name */
export const GET = projectRoute<{ id: string; tag: string }>(
  async ({ req, user, project }) => {
    const name = segmentFromEnd(req, 0);
    const db = getDb();
    const tag = (await listProjectTags({ db, user, project })).find((t) => t.name === name);
    if (!tag) throw new AppError("not_found", "404 Tag Not Found");
    const { commit } = await getCommitWithDiff({ db, user, project, sha: tag.sha });
    return json(toApiTag(tag, project, commit));
  },
  { repository: true },
);
