import { Prisma, type Db, type Project, type ProjectMember, type User } from "@minilab/db";
import { findUserByLogin } from "../auth/find-user-by-login.ts";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS, isAccessLevel } from "./access-levels.ts";
import { assertManager } from "./assert-manager.ts";

export interface AddProjectMemberOptions {
  db: Db;
  /** Who is adding; must be maintainer+ (only owners may add owners). */
  actor: User | null;
  project: Project;
  /** Username or email of the user to add. */
  username: string;
  accessLevel: number;
}

export async function addProjectMember({
  db,
  actor,
  project,
  username,
  accessLevel,
}: AddProjectMemberOptions): Promise<ProjectMember> {
  const actorLevel = await assertManager(db, actor, project);
  if (!isAccessLevel(accessLevel))
    throw new AppError("invalid_input", "unknown access level", { field: "accessLevel" });
  if (accessLevel === ACCESS_LEVELS.owner && actorLevel < ACCESS_LEVELS.owner)
    throw new AppError("forbidden", "only owners can add owners", { field: "accessLevel" });
  const user = await findUserByLogin(db, username.trim());
  if (!user) throw new AppError("not_found", `user ${username} not found`, { field: "username" });
  if (user.id === project.ownerId)
    throw new AppError("conflict", `${user.username} is already a member`, { field: "username" });
  try {
    return await db.projectMember.create({ data: { projectId: project.id, userId: user.id, accessLevel } });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new AppError("conflict", `${user.username} is already a member`, { field: "username" });
    throw e;
  }
}
