import type { Db, Project, ProjectVariable, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertManager } from "../projects/assert-manager.ts";
import { assertValidVariable, type VariableInput } from "./validate-variable.ts";

export interface UpdateProjectVariableOptions {
  db: Db;
  actor: User | null;
  project: Project;
  id: number;
  /** `value: undefined` keeps the stored value (forms never echo a hidden secret back). */
  variable: Omit<VariableInput, "value"> & { value?: string | undefined };
}

export async function updateProjectVariable({
  db,
  actor,
  project,
  id,
  variable,
}: UpdateProjectVariableOptions): Promise<ProjectVariable> {
  await assertManager(db, actor, project);
  const current = await db.projectVariable.findFirst({ where: { id, projectId: project.id } });
  if (!current) throw new AppError("not_found", "Variable not found");
  const next: VariableInput = { ...variable, value: variable.value ?? current.value };
  assertValidVariable(next);
  if (next.key !== current.key) {
    const taken = await db.projectVariable.findUnique({
      where: { projectId_key: { projectId: project.id, key: next.key } },
      select: { id: true },
    });
    if (taken)
      throw new AppError("conflict", `Variable ${next.key} already exists`, {
        fields: { key: "has already been taken" },
      });
  }
  return db.projectVariable.update({
    where: { id },
    data: {
      key: next.key,
      value: next.value,
      masked: next.masked,
      protected: next.protected,
      raw: next.raw ?? current.raw,
    },
  });
}
