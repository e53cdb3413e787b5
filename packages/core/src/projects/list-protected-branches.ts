import type { Db, Project, ProtectedBranch } from "@minilab/db";

export interface ListProtectedBranchesOptions {
  db: Db;
  project: Pick<Project, "id">;
}

export function listProtectedBranches({
  db,
  project,
}: ListProtectedBranchesOptions): Promise<ProtectedBranch[]> {
  return db.protectedBranch.findMany({ where: { projectId: project.id }, orderBy: { name: "asc" } });
}
