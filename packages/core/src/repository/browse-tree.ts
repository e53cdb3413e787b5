import { listTree, type TreeEntry } from "@minilab/git";
import { gitRead, notFound, readableRepoDir, type RepoReadOptions } from "./access.ts";

/** Directory listing at a resolved commit. Missing path (or a file) → not_found. */
export async function browseTree(
  opts: RepoReadOptions & { sha: string; path: string },
): Promise<TreeEntry[]> {
  const dir = await readableRepoDir(opts);
  const entries = await gitRead(() => listTree(dir, opts.sha, opts.path));
  if (!entries) throw notFound("directory");
  return entries;
}
