import type { Db, Project } from "@minilab/db";

export interface ListProjectMembersOptions {
  db: Db;
  project: Pick<Project, "id">;
}

export interface ProjectMemberInfo {
  userId: number;
  username: string;
  name: string;
  accessLevel: number;
  createdAt: Date;
}

/** Members, highest role first, then by username. Callers check the viewer may see the project. */
export async function listProjectMembers({
  db,
  project,
}: ListProjectMembersOptions): Promise<ProjectMemberInfo[]> {
  const rows = await db.projectMember.findMany({
    where: { projectId: project.id },
    include: { user: { select: { username: true, name: true } } },
    orderBy: [{ accessLevel: "desc" }, { user: { username: "asc" } }],
  });
  return rows.map((r) => ({
    userId: r.userId,
    username: r.user.username,
    name: r.user.name,
    accessLevel: r.accessLevel,
    createdAt: r.createdAt,
  }));
}
