import {
  getCommit as readCommitSummary,
  readCommitDiff,
  resolveRef,
  type CommitSummary,
  type Diff,
} from "@minilab/git";
import { gitRead, notFound, readableRepoDir, type RepoReadOptions } from "./access.ts";

/** A commit (full or short sha) with its diff against the first parent. Unknown → not_found. */
export async function getCommitWithDiff(
  opts: RepoReadOptions & { sha: string },
): Promise<{ commit: CommitSummary; diff: Diff }> {
  const dir = await readableRepoDir(opts);
  if (!/^[0-9a-f]{7,64}$/.test(opts.sha)) throw notFound("commit");
  const full = await gitRead(() => resolveRef(dir, opts.sha));
  const commit = full ? await gitRead(() => readCommitSummary(dir, full)) : null;
  if (!commit) throw notFound("commit");
  const diff = await gitRead(() => readCommitDiff(dir, commit.sha, commit.parents));
  return { commit, diff };
}
