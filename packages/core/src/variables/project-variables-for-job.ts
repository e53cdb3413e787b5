/**
 * The project's CI/CD variables as a job receives them. Protected variables go only to jobs of
 * protected refs (GitLab's rule: a developer who can push an unprotected branch must not be able to
 * print a deploy secret). Masked variables carry `masked: true`; the runner replaces their values
 * with `[MASKED]` before a log byte leaves the runner host.
 */
import type { JobVariable } from "@minilab/contracts";
import type { Db } from "@minilab/db";
import { matchesBranchPattern } from "@minilab/git";

/** A project CI/CD variable as stored. */
export interface StoredProjectVariable {
  key: string;
  value: string;
  masked: boolean;
  protected: boolean;
}

/** The variables a job of a protected (or unprotected) ref receives, in the order given. */
export function variablesForJob(
  rows: readonly StoredProjectVariable[],
  protectedRef: boolean,
): JobVariable[] {
  return rows
    .filter((r) => protectedRef || !r.protected)
    .map((r) => ({ key: r.key, value: r.value, masked: r.masked }));
}

/**
 * Whether a pipeline's ref is protected. Branches: any protected-branch rule matches. Tags: minilab
 * has no protected tags yet, so none is.
 */
export async function isProtectedRef(opts: {
  db: Pick<Db, "protectedBranch">;
  projectId: number;
  ref: string;
  tag: boolean;
}): Promise<boolean> {
  if (opts.tag) return false;
  const rules = await opts.db.protectedBranch.findMany({
    where: { projectId: opts.projectId },
    select: { name: true },
  });
  return refIsProtected(
    rules.map((r) => r.name),
    opts.ref,
    opts.tag,
  );
}

/** Whether a ref is protected by one of these protected-branch rules (tags never are, yet). */
export function refIsProtected(ruleNames: readonly string[], ref: string, tag: boolean): boolean {
  return !tag && ruleNames.some((name) => matchesBranchPattern(name, ref));
}
