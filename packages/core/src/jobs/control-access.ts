/**
 * Who may use the job and pipeline controls (cancel, retry, play, run, delete), as GitLab decides it:
 * developer+ of the project for cancel/retry/play/run, maintainer+ for delete; a protected branch's
 * jobs may be played (and pipelines run on it) only by those allowed to push or merge to it. A project
 * the user may not see answers `not_found` for the job or pipeline, so its existence does not leak.
 */
import type { Db, Project, User } from "@minilab/db";
import { matchesBranchPattern } from "@minilab/git";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS } from "../projects/access-levels.ts";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { canReadProject } from "../projects/permissions.ts";

export interface ControlAccess {
  user: User;
  project: Project;
  level: number;
}

export async function assertCanControl(
  db: Db,
  opts: {
    userId: number;
    projectId: number;
    /** Named in the 404 message: "Job not found". */
    what: "Job" | "Pipeline" | "Project";
    /** @defaultValue developer */
    minLevel?: number;
  },
): Promise<ControlAccess> {
  const [user, project] = await Promise.all([
    db.user.findUnique({ where: { id: opts.userId } }),
    db.project.findUnique({ where: { id: opts.projectId } }),
  ]);
  if (!user) throw new AppError("unauthorized", "401 Unauthorized");
  if (!project) throw new AppError("not_found", `${opts.what} not found`);
  const level = await accessLevelFor({ db, user, project });
  if (!canReadProject(user, project, level)) throw new AppError("not_found", `${opts.what} not found`);
  if (level < (opts.minLevel ?? ACCESS_LEVELS.developer)) throw new AppError("forbidden", "403 Forbidden");
  return { user, project, level };
}

/**
 * Whether `level` may run jobs on `ref`: unprotected refs → yes (the caller checked developer+);
 * a protected branch → the level must reach the push or merge level of a matching rule (0 = no one).
 */
export async function canRunOnRef(
  db: Db,
  opts: { projectId: number; ref: string; tag: boolean; level: number },
): Promise<boolean> {
  if (opts.tag) return true;
  const rules = (
    await db.protectedBranch.findMany({
      where: { projectId: opts.projectId },
      select: { name: true, pushAccessLevel: true, mergeAccessLevel: true },
    })
  ).filter((r) => matchesBranchPattern(r.name, opts.ref));
  if (rules.length === 0) return true;
  const reaches = (needed: number) => needed > 0 && opts.level >= needed;
  return rules.some((r) => reaches(r.pushAccessLevel) || reaches(r.mergeAccessLevel));
}
