import { listProjectCommits, toApiCommit } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../server/api-route";
import { commitOf } from "../../../../../../../server/api-repository";
import { pageRequest, paginationHeadersWithoutTotal } from "../../../../../../../server/pagination";

export const dynamic = "force-dynamic";

/**
 * GET /api/v4/projects/:id/repository/commits — history of `ref_name` (default branch), optionally
 * of `path`, newest first. Like GitLab, no X-Total: counting history is costly.
 */
export const GET = projectRoute<{ id: string }>(
  async ({ req, user, project, query }) => {
    const pr = pageRequest(req);
    const refName = query.get("ref_name") || undefined;
    // An empty repository has no history (GitLab: []); an unknown ref_name is a 404.
    const sha = await commitOf(user, project, refName).catch((e: unknown) => {
      if (refName) throw e;
      return null;
    });
    if (!sha) return Response.json([], { headers: paginationHeadersWithoutTotal(req, pr, false) });
    const path = query.get("path") || undefined;
    const page = await listProjectCommits({
      db: getDb(),
      user,
      project,
      sha,
      ...pr,
      ...(path ? { path } : {}),
    });
    return Response.json(
      page.commits.map((c) => toApiCommit(c, project)),
      { headers: paginationHeadersWithoutTotal(req, pr, page.hasMore) },
    );
  },
  { repository: true },
);
