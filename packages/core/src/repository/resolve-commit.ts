import { resolveRef } from "@minilab/git";
import { gitRead, notFound, readableRepoDir, type RepoReadOptions } from "./access.ts";

/** A branch, tag or (short) sha → full commit sha. Unknown → not_found. */
export async function resolveCommit(opts: RepoReadOptions & { ref: string }): Promise<string> {
  const dir = await readableRepoDir(opts);
  const sha = await gitRead(() => resolveRef(dir, opts.ref));
  if (!sha) throw notFound("ref");
  return sha;
}

/** The default branch's commit, or null for an empty repository (nothing pushed yet). */
export async function defaultBranchCommit(opts: RepoReadOptions): Promise<string | null> {
  const dir = await readableRepoDir(opts);
  return gitRead(() => resolveRef(dir, opts.project.defaultBranch));
}
