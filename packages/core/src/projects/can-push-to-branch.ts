import type { Db, Project, User } from "@minilab/db";
import { refuseRefUpdate } from "@minilab/git";
import { canPushCode } from "./permissions.ts";
import { pushPolicyFor } from "./push-policy-for.ts";

export interface CanPushToBranchOptions {
  db: Db;
  user: User | null;
  project: Pick<Project, "id" | "ownerId">;
  branch: string;
  /** A non-fast-forward update. @defaultValue false */
  force?: boolean;
  /** Deleting the branch. @defaultValue false */
  delete?: boolean;
}

export type PushDecision = { allowed: true } | { allowed: false; message: string };

/**
 * The same decision the pre-receive hook makes for one branch update (developer+ for unprotected
 * branches; protected: level ≥ push level, no force push unless allowed, never deletion), for UIs
 * and API callers that need to know before pushing.
 */
export async function canPushToBranch(opts: CanPushToBranchOptions): Promise<PushDecision> {
  const policy = await pushPolicyFor(opts);
  if (!canPushCode(policy.level))
    return { allowed: false, message: "You are not allowed to push code to this project." };
  const some = "1".repeat(40);
  const message = refuseRefUpdate(
    policy,
    { ref: `refs/heads/${opts.branch}`, oldSha: some, newSha: opts.delete ? "0".repeat(40) : some },
    () => opts.force ?? false,
  );
  return message ? { allowed: false, message } : { allowed: true };
}
