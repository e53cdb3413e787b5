import { listCommits, type CommitPage } from "@minilab/git";
import { gitRead, readableRepoDir, type RepoReadOptions } from "./access.ts";

/** One page (1-based) of history from `sha`, optionally limited to `path`. */
export async function listProjectCommits(
  opts: RepoReadOptions & { sha: string; path?: string; page: number; perPage: number },
): Promise<CommitPage> {
  const dir = await readableRepoDir(opts);
  const page = Math.max(1, Math.floor(opts.page));
  return gitRead(() =>
    listCommits(dir, opts.sha, {
      skip: (page - 1) * opts.perPage,
      limit: opts.perPage,
      ...(opts.path ? { path: opts.path } : {}),
    }),
  );
}
