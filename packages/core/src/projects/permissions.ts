/**
 * Who may do what in a project, as GitLab decides it. The level comes from accessLevelFor (a DB
 * look-up); these predicates are pure so pages, API and git routes share one set of rules.
 *
 * - view the project (page, pipelines, API reads): public → anyone; internal → any signed-in user;
 *   private → members (guest+).
 * - read the repository (clone, fetch, browse code): public → anyone; internal → any signed-in user;
 *   private → reporter+. Guests of a private project see it but not its code, as in GitLab.
 * - read jobs and their logs (GitLab's read_build): reporter+; on public and internal projects also
 *   everyone who may view the project while its "Public pipelines" setting (`public_builds`, on by
 *   default) is on. Guests of a private project see its pipelines' statuses but not job logs, which
 *   can hold secrets.
 * - see pipelines at all (lists, pages, statuses, live events): members (guest+); non-members of a
 *   public/internal project only while "Public pipelines" is on.
 * - push to unprotected branches and tags: developer+; protected branches: see canPushToBranch.
 * - manage (members, protected branches, settings): maintainer+.
 */
import type { Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS } from "./access-levels.ts";

type Visible = Pick<Project, "visibility">;
/** `publicBuilds` absent (read models that do not load it) counts as GitLab's default, on. */
type VisibleBuilds = Visible & { publicBuilds?: boolean };

export function canReadProject(user: User | null, project: Visible, level: number): boolean {
  if (project.visibility === "public") return true;
  if (!user) return false;
  return project.visibility === "internal" || level >= ACCESS_LEVELS.guest;
}

export function canReadRepository(user: User | null, project: Visible, level: number): boolean {
  if (project.visibility === "public") return true;
  if (!user) return false;
  return project.visibility === "internal" || level >= ACCESS_LEVELS.reporter;
}

export function canReadBuilds(user: User | null, project: VisibleBuilds, level: number): boolean {
  if (level >= ACCESS_LEVELS.reporter) return true;
  return (
    project.visibility !== "private" && project.publicBuilds !== false && canReadProject(user, project, level)
  );
}

/** GitLab's read_pipeline: members, or anyone who may view the project while pipelines are public. */
export function canReadPipelines(user: User | null, project: VisibleBuilds, level: number): boolean {
  if (level >= ACCESS_LEVELS.guest) return true;
  return project.publicBuilds !== false && canReadProject(user, project, level);
}

/** Push at all (unprotected branches, tags); protected branches need more (canPushToBranch). */
export const canPushCode = (level: number): boolean => level >= ACCESS_LEVELS.developer;

export const canManageProject = (level: number): boolean => level >= ACCESS_LEVELS.maintainer;

/**
 * Anonymous callers get `unauthorized` (so the client can offer to sign in); signed-in outsiders of
 * a private project get `not_found`, so its existence does not leak.
 */
export function assertCanRead(user: User | null, project: Visible, level: number): void {
  if (canReadProject(user, project, level)) return;
  if (!user) throw new AppError("unauthorized", "sign in to access this project");
  throw new AppError("not_found", "project not found");
}

/** As assertCanRead, then `forbidden` for those who can see the project but may not manage it. */
export function assertCanManage(user: User | null, project: Visible, level: number): void {
  assertCanRead(user, project, level);
  if (!canManageProject(level)) {
    if (!user) throw new AppError("unauthorized", "sign in to change this project");
    throw new AppError("forbidden", "you are not allowed to change this project");
  }
}
