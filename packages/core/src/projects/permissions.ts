import type { Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";

type ProjectAccess = Pick<Project, "visibility" | "ownerId">;

/** public: anyone; internal: any signed-in user; private: owner or admin. */
export function canReadProject(user: User | null, project: ProjectAccess): boolean {
  if (project.visibility === "public") return true;
  if (!user) return false;
  if (project.visibility === "internal") return true;
  return canWriteProject(user, project);
}

export function canWriteProject(user: User | null, project: ProjectAccess): boolean {
  return !!user && (user.isAdmin || user.id === project.ownerId);
}

/**
 * Anonymous callers get `unauthorized` (so the client can offer to sign in); signed-in outsiders of
 * a private project get `not_found`, so its existence does not leak.
 */
export function assertCanRead(user: User | null, project: ProjectAccess): void {
  if (canReadProject(user, project)) return;
  if (!user) throw new AppError("unauthorized", "sign in to access this project");
  throw new AppError("not_found", "project not found");
}

/** As assertCanRead, then `forbidden` for those who can see the project but not change it. */
export function assertCanWrite(user: User | null, project: ProjectAccess): void {
  assertCanRead(user, project);
  if (!canWriteProject(user, project)) {
    if (!user) throw new AppError("unauthorized", "sign in to change this project");
    throw new AppError("forbidden", "you are not allowed to change this project");
  }
}
