/**
 * Helpers of the repository API routes: raw path segments (branch names and file paths arrive
 * URL-encoded as one segment, `feature%2Fx`, and are decoded exactly once here), ref → commit
 * resolution with GitLab's 404s, and the branch flags GitLab reports.
 */
import {
  ACCESS_LEVELS,
  AppError,
  canPushCode,
  isAppError,
  listProtectedBranches,
  resolveCommit,
  type BranchFlags,
} from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";
import { matchesBranchPattern } from "@minilab/git";

/**
 * The `k`-th path segment from the end (0 = last) of the request URL, decoded once. Next may or
 * may not have decoded `%2F` in params already; the raw URL is unambiguous.
 */
export function segmentFromEnd(req: Request, k: number): string {
  const parts = new URL(req.url).pathname.split("/");
  const raw = parts[parts.length - 1 - k] ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError("invalid_input", "path is invalid");
  }
}

/** `ref` (branch, tag or sha; default branch when absent) → commit sha, or `404 <what> Not Found`. */
export async function commitOf(
  user: User | null,
  project: Project,
  ref: string | undefined,
  what = "Commit",
): Promise<string> {
  try {
    return await resolveCommit({ db: getDb(), user, project, ref: ref || project.defaultBranch });
  } catch (e) {
    if (isAppError(e) && (e.code === "not_found" || e.code === "invalid_input"))
      throw new AppError("not_found", `404 ${what} Not Found`);
    throw e;
  }
}

/** GitLab's per-branch flags for the caller: default, protected, who may push. */
export async function branchFlagger(project: Project, level: number): Promise<(name: string) => BranchFlags> {
  const rules = await listProtectedBranches({ db: getDb(), project });
  return (name) => {
    const matching = rules.filter((r) => matchesBranchPattern(r.name, name));
    const pushLevel = matching.length ? Math.min(...matching.map((r) => r.pushAccessLevel)) : null;
    const isProtected = pushLevel !== null;
    return {
      default: name === project.defaultBranch,
      protected: isProtected,
      developersCanPush: isProtected && pushLevel > 0 && pushLevel <= ACCESS_LEVELS.developer,
      canPush: canPushCode(level) && (!isProtected || (pushLevel > 0 && level >= pushLevel)),
    };
  };
}
