import { compareCommits, resolveRef, type Comparison } from "@minilab/git";
import { gitRead, notFound, readableRepoDir, type RepoReadOptions } from "./access.ts";

/** GitLab's compare `from...to`. Unknown refs → not_found. */
export async function compareRefs(
  opts: RepoReadOptions & { from: string; to: string },
): Promise<Comparison & { fromSha: string; toSha: string }> {
  const dir = await readableRepoDir(opts);
  const [fromSha, toSha] = await Promise.all([
    gitRead(() => resolveRef(dir, opts.from)),
    gitRead(() => resolveRef(dir, opts.to)),
  ]);
  if (!fromSha) throw notFound(`ref ${opts.from}`);
  if (!toSha) throw notFound(`ref ${opts.to}`);
  const c = await gitRead(() => compareCommits(dir, fromSha, toSha));
  return { ...c, fromSha, toSha };
}
