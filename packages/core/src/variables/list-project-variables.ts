import type { Db, Project, ProjectVariable, User } from "@minilab/db";
import { assertManager } from "../projects/assert-manager.ts";

export interface ListProjectVariablesOptions {
  db: Db;
  actor: User | null;
  project: Project;
}

/** The project's CI/CD variables, by key. Maintainer+ only: values are secrets. */
export async function listProjectVariables({
  db,
  actor,
  project,
}: ListProjectVariablesOptions): Promise<ProjectVariable[]> {
  await assertManager(db, actor, project);
  return db.projectVariable.findMany({ where: { projectId: project.id }, orderBy: { key: "asc" } });
}
