import type { Db, Project, User } from "@minilab/db";
import type { PushPolicy } from "@minilab/git";
import { accessLevelFor } from "./access-level-for.ts";

export interface PushPolicyForOptions {
  db: Db;
  user: User | null;
  project: Pick<Project, "id" | "ownerId">;
  /** Already computed by the caller (saves a query). */
  level?: number;
}

/** The branch-protection policy the pre-receive hook enforces for this pusher (see @minilab/git). */
export async function pushPolicyFor({ db, user, project, level }: PushPolicyForOptions): Promise<PushPolicy> {
  const [lvl, rules] = await Promise.all([
    level ?? accessLevelFor({ db, user, project }),
    db.protectedBranch.findMany({
      where: { projectId: project.id },
      select: { name: true, pushAccessLevel: true, allowForcePush: true },
    }),
  ]);
  return {
    level: lvl,
    rules: rules.map((r) => ({
      pattern: r.name,
      pushAccessLevel: r.pushAccessLevel,
      allowForcePush: r.allowForcePush,
    })),
  };
}
