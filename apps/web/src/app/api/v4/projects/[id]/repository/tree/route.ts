import { AppError, browseTree, isAppError, toApiTreeEntry, type RepoReadOptions } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../server/api-route";
import { commitOf } from "../../../../../../../server/api-repository";
import { paginateArray } from "../../../../../../../server/pagination";

export const dynamic = "force-dynamic";

/** Entries a recursive listing may collect before it stops (keeps one request bounded). */
const RECURSIVE_LIMIT = 10_000;

/** GET /api/v4/projects/:id/repository/tree — `path`, `ref` (default branch), `recursive`. */
export const GET = projectRoute<{ id: string }>(
  async ({ req, user, project, query }) => {
    const sha = await commitOf(user, project, query.get("ref") || undefined, "Tree");
    const path = (query.get("path") ?? "").replace(/^\/+|\/+$/g, "");
    const recursive = query.get("recursive") === "true" || query.get("recursive") === "1";
    const opts = { db: getDb(), user, project, sha };
    const entries = await listing(opts, path, recursive);
    return paginateArray(req, entries, toApiTreeEntry);
  },
  { repository: true },
);

type Entry = Awaited<ReturnType<typeof browseTree>>[number];

async function listing(
  opts: RepoReadOptions & { sha: string },
  path: string,
  recursive: boolean,
): Promise<Entry[]> {
  const read = (p: string) =>
    browseTree({ ...opts, path: p }).catch((e: unknown) => {
      if (isAppError(e) && e.code === "not_found") throw new AppError("not_found", "404 Tree Not Found");
      throw e;
    });
  const top = await read(path);
  if (!recursive) return top;
  // Breadth-first, in GitLab's order: each directory followed later by its contents.
  const out: Entry[] = [];
  const queue = [...top];
  for (let e = queue.shift(); e && out.length < RECURSIVE_LIMIT; e = queue.shift()) {
    out.push(e);
    if (e.type === "tree") queue.push(...(await read(e.path)));
  }
  return out;
}
