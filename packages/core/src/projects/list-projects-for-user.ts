import type { Db, Prisma, Project, User } from "@minilab/db";

export interface ListProjectsForUserOptions {
  db: Db;
  /** null lists what anonymous visitors see. */
  user: User | null;
}

/** Projects the user may read (see canReadProject), most recently updated first. */
export function listProjectsForUser({ db, user }: ListProjectsForUserOptions): Promise<Project[]> {
  const where: Prisma.ProjectWhereInput = !user
    ? { visibility: "public" }
    : user.isAdmin
      ? {}
      : {
          OR: [
            { visibility: { in: ["public", "internal"] } },
            { ownerId: user.id },
            { members: { some: { userId: user.id } } },
          ],
        };
  return db.project.findMany({ where, orderBy: [{ updatedAt: "desc" }, { id: "desc" }] });
}
