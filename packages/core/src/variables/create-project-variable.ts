import type { Db, Project, ProjectVariable, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertManager } from "../projects/assert-manager.ts";
import { assertValidVariable, type VariableInput } from "./validate-variable.ts";

export interface CreateProjectVariableOptions {
  db: Db;
  actor: User | null;
  project: Project;
  variable: VariableInput;
}

/** Adds a variable; `conflict` when the key exists (keys are unique per project, as in GitLab). */
export async function createProjectVariable({
  db,
  actor,
  project,
  variable,
}: CreateProjectVariableOptions): Promise<ProjectVariable> {
  await assertManager(db, actor, project);
  assertValidVariable(variable);
  const taken = await db.projectVariable.findUnique({
    where: { projectId_key: { projectId: project.id, key: variable.key } },
    select: { id: true },
  });
  if (taken)
    throw new AppError("conflict", `Variable ${variable.key} already exists`, {
      fields: { key: "has already been taken" },
    });
  return db.projectVariable.create({
    data: {
      projectId: project.id,
      key: variable.key,
      value: variable.value,
      masked: variable.masked,
      protected: variable.protected,
      raw: variable.raw ?? false,
    },
  });
}
