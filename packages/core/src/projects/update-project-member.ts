import type { Db, Project, ProjectMember, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS, isAccessLevel } from "./access-levels.ts";
import { assertManager } from "./assert-manager.ts";

export interface UpdateProjectMemberOptions {
  db: Db;
  /** Must be maintainer+; only owners may grant or change the owner level. */
  actor: User | null;
  project: Project;
  userId: number;
  accessLevel: number;
}

/**
 * Changes a member's role. The project's creator (namespace owner) always stays owner, and the
 * last owner row cannot be demoted (checked under a row lock, so two demotions cannot both pass).
 */
export async function updateProjectMember({
  db,
  actor,
  project,
  userId,
  accessLevel,
}: UpdateProjectMemberOptions): Promise<ProjectMember> {
  const actorLevel = await assertManager(db, actor, project);
  if (!isAccessLevel(accessLevel))
    throw new AppError("invalid_input", "unknown access level", { field: "accessLevel" });
  if (userId === project.ownerId)
    throw new AppError("forbidden", "the project's namespace owner always has the owner role");
  return db.$transaction(async (tx) => {
    const owners = await tx.$queryRaw<Array<{ user_id: number }>>`
      SELECT user_id FROM project_members WHERE project_id = ${project.id} AND access_level = ${ACCESS_LEVELS.owner} FOR UPDATE`;
    const member = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId: project.id, userId } },
    });
    if (!member) throw new AppError("not_found", "member not found");
    const touchesOwner = accessLevel === ACCESS_LEVELS.owner || member.accessLevel === ACCESS_LEVELS.owner;
    if (touchesOwner && actorLevel < ACCESS_LEVELS.owner)
      throw new AppError("forbidden", "only owners can change the owner role");
    if (
      member.accessLevel === ACCESS_LEVELS.owner &&
      accessLevel !== ACCESS_LEVELS.owner &&
      owners.length <= 1
    )
      throw new AppError("conflict", "a project needs at least one owner");
    return tx.projectMember.update({
      where: { projectId_userId: { projectId: project.id, userId } },
      data: { accessLevel },
    });
  });
}
