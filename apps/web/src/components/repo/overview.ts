import { defaultBranchCommit, isAppError, type RepoReadOptions } from "@minilab/core";
import { loadTree, type TreeData } from "./tree-view";

/**
 * The default branch's root for the project overview, or null when there is nothing to show: an
 * empty repository (the page shows push instructions instead) or a viewer who may see the project
 * but not its code (a guest of a private project).
 */
export async function loadOverviewTree(
  ctx: RepoReadOptions,
): Promise<{ sha: string; data: TreeData } | null> {
  try {
    const sha = await defaultBranchCommit(ctx);
    return sha ? { sha, data: await loadTree(ctx, sha, "") } : null;
  } catch (e) {
    if (isAppError(e) && (e.code === "not_found" || e.code === "unauthorized")) return null;
    throw e;
  }
}
