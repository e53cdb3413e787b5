import { openRawFile } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../../../server/api-route";
import { commitOf, segmentFromEnd } from "../../../../../../../../../server/api-repository";
import { fileOrNotFound, splitPath } from "../../../../../../../../../server/api-files";

export const dynamic = "force-dynamic";

/**
 * GET /api/v4/projects/:id/repository/files/:file_path/raw?ref= — the bytes, streamed (ref defaults
 * to the default branch). Never rendered by the browser as HTML: text/plain or octet-stream, nosniff.
 */
export const GET = projectRoute<{ id: string; file_path: string }>(
  async ({ req, user, project, query }) => {
    const filePath = segmentFromEnd(req, 1);
    const sha = await commitOf(user, project, query.get("ref") || undefined);
    const file = await fileOrNotFound(() => openRawFile({ db: getDb(), user, project, sha, path: filePath }));
    const { name } = splitPath(filePath);
    return new Response(file.stream, {
      headers: {
        "Content-Type": file.binary ? "application/octet-stream" : "text/plain; charset=utf-8",
        "Content-Length": String(file.size),
        "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
        "X-Content-Type-Options": "nosniff",
        "X-Gitlab-File-Name": encodeURIComponent(name),
        "X-Gitlab-Commit-Id": sha,
        "X-Gitlab-Size": String(file.size),
        "Cache-Control": "private, no-cache",
      },
    });
  },
  { repository: true },
);
