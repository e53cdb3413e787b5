import type { Db, Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertManager } from "./assert-manager.ts";

export interface UnprotectBranchOptions {
  db: Db;
  /** Must be maintainer+. */
  actor: User | null;
  project: Project;
  /** The rule's name/pattern exactly as protected. */
  name: string;
}

export async function unprotectBranch({ db, actor, project, name }: UnprotectBranchOptions): Promise<void> {
  await assertManager(db, actor, project);
  const { count } = await db.protectedBranch.deleteMany({ where: { projectId: project.id, name } });
  if (count === 0) throw new AppError("not_found", `${name} is not protected`);
}
