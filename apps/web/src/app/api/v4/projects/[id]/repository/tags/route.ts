import { listProjectTags, toApiTag } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../server/api-route";
import { paginateArray } from "../../../../../../../server/pagination";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/repository/tags — newest first (GitLab's default `updated` desc); `search`. */
export const GET = projectRoute<{ id: string }>(
  async ({ req, user, project, query }) => {
    const search = (query.get("search") ?? "").toLowerCase();
    const tags = (await listProjectTags({ db: getDb(), user, project })).filter((t) =>
      t.name.toLowerCase().includes(search),
    );
    if (query.get("sort") === "asc") tags.reverse();
    return paginateArray(req, tags, (t) => toApiTag(t, project));
  },
  { repository: true },
);
