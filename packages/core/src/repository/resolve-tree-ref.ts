import { resolveRefPath, type ResolvedRefPath } from "@minilab/git";
import { gitRead, notFound, readableRepoDir, type RepoReadOptions } from "./access.ts";

/**
 * `/-/tree/<ref>/<path…>` segments → ref, commit and path (GitLab's longest-ref-prefix rule).
 * Unknown ref → not_found.
 */
export async function resolveTreeRef(
  opts: RepoReadOptions & { segments: string[] },
): Promise<ResolvedRefPath> {
  const dir = await readableRepoDir(opts);
  const r = await gitRead(() => resolveRefPath(dir, opts.segments));
  if (!r) throw notFound("ref");
  return r;
}
