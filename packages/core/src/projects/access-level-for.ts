import type { Db, Project, User } from "@minilab/db";
import { ACCESS_LEVELS, NO_ACCESS } from "./access-levels.ts";

export interface AccessLevelForOptions {
  db: Db;
  user: User | null;
  project: Pick<Project, "id" | "ownerId">;
}

/**
 * The user's access level in the project: admins act as owners; otherwise the member row's level.
 * The creator (`ownerId`) counts as owner even without a row, so a project created before
 * memberships existed stays manageable. Non-members get NO_ACCESS (visibility rules still let
 * them read public/internal projects, see permissions.ts).
 */
export async function accessLevelFor({ db, user, project }: AccessLevelForOptions): Promise<number> {
  if (!user) return NO_ACCESS;
  if (user.isAdmin || user.id === project.ownerId) return ACCESS_LEVELS.owner;
  const member = await db.projectMember.findUnique({
    where: { projectId_userId: { projectId: project.id, userId: user.id } },
    select: { accessLevel: true },
  });
  return member?.accessLevel ?? NO_ACCESS;
}
