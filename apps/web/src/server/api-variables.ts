/** Parameters and look-ups of the project variables API routes. */
import { AppError, listProjectVariables } from "@minilab/core";
import { getDb, type Project, type ProjectVariable, type User } from "@minilab/db";
import { z } from "zod";
import { zBool } from "./api-params";

/** minilab has neither file variables nor environments: only GitLab's defaults are accepted. */
const common = {
  protected: zBool.optional(),
  masked: zBool.optional(),
  raw: zBool.optional(),
  variable_type: z.enum(["env_var"]).optional(),
  environment_scope: z.enum(["*"]).optional(),
  description: z.string().max(255).nullable().optional(),
};

export const CreateVariable = z.object({ key: z.string().min(1), value: z.string(), ...common });
export const UpdateVariable = z.object({ value: z.string().optional(), ...common });

/** The variable `key` of the project (the caller must be maintainer+), or `404 Variable Not Found`. */
export async function variableByKey(
  user: User | null,
  project: Project,
  key: string,
): Promise<ProjectVariable> {
  const all = await listProjectVariables({ db: getDb(), actor: user, project });
  const found = all.find((v) => v.key === key);
  if (!found) throw new AppError("not_found", "404 Variable Not Found");
  return found;
}
