/**
 * The project's CI/CD variables as a job receives them. Protected variables go only to jobs of
 * protected refs (GitLab's rule: a developer who can push an unprotected branch must not be able to
 * print a deploy secret). Masked variables carry `masked: true`; the runner replaces their values
 * with `[MASKED]` before a log byte leaves the runner host.
 */
import type { JobVariable } from "@minilab/contracts";
import type { Db } from "@minilab/db";

export interface ProjectVariablesForJobOptions {
  db: Pick<Db, "projectVariable">;
  projectId: number;
  /** Whether the job's ref is a protected branch or tag. */
  protectedRef: boolean;
}

export async function projectVariablesForJob({
  db,
  projectId,
  protectedRef,
}: ProjectVariablesForJobOptions): Promise<JobVariable[]> {
  const rows = await db.projectVariable.findMany({
    where: { projectId, ...(protectedRef ? {} : { protected: false }) },
    orderBy: { key: "asc" },
    select: { key: true, value: true, masked: true },
  });
  return rows.map((r) => ({ key: r.key, value: r.value, masked: r.masked }));
}

/** `*` in a protected-branch name matches any run of characters, as GitLab's wildcards. */
export function matchesBranchPattern(pattern: string, branch: string): boolean {
  const re = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${re.join(".*")}$`).test(branch);
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
  return rules.some((r) => matchesBranchPattern(r.name, opts.ref));
}
