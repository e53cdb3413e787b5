import type { Db, Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS } from "./access-levels.ts";
import { assertManager } from "./assert-manager.ts";

export interface RemoveProjectMemberOptions {
  db: Db;
  /** Must be maintainer+; only owners may remove owners. */
  actor: User | null;
  project: Project;
  userId: number;
}

/** Removes a member; never the namespace owner or the last owner (checked under a row lock). */
export async function removeProjectMember({
  db,
  actor,
  project,
  userId,
}: RemoveProjectMemberOptions): Promise<void> {
  const actorLevel = await assertManager(db, actor, project);
  if (userId === project.ownerId)
    throw new AppError("forbidden", "the project's namespace owner cannot be removed");
  await db.$transaction(async (tx) => {
    const owners = await tx.$queryRaw<Array<{ user_id: number }>>`
      SELECT user_id FROM project_members WHERE project_id = ${project.id} AND access_level = ${ACCESS_LEVELS.owner} FOR UPDATE`;
    const member = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId: project.id, userId } },
    });
    if (!member) throw new AppError("not_found", "member not found");
    if (member.accessLevel === ACCESS_LEVELS.owner) {
      if (actorLevel < ACCESS_LEVELS.owner) throw new AppError("forbidden", "only owners can remove owners");
      if (owners.length <= 1) throw new AppError("conflict", "a project needs at least one owner");
    }
    await tx.projectMember.delete({ where: { projectId_userId: { projectId: project.id, userId } } });
  });
}
