import type { Db, Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertManager } from "../projects/assert-manager.ts";

export interface DeleteProjectVariableOptions {
  db: Db;
  actor: User | null;
  project: Project;
  id: number;
}

export async function deleteProjectVariable({ db, actor, project, id }: DeleteProjectVariableOptions) {
  await assertManager(db, actor, project);
  const { count } = await db.projectVariable.deleteMany({ where: { id, projectId: project.id } });
  if (count !== 1) throw new AppError("not_found", "Variable not found");
}
