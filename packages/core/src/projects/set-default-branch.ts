import { isGitInputError, repoDir, setHeadBranch } from "@minilab/git";
import type { Db, Project, User } from "@minilab/db";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { assertManager } from "./assert-manager.ts";

export interface SetDefaultBranchOptions {
  db: Db;
  /** Must be maintainer+. */
  actor: User | null;
  project: Project;
  branch: string;
}

/**
 * Makes an existing branch the default: the repository's HEAD first (what clones check out), then
 * the row (CI_DEFAULT_BRANCH, the project page). Unknown branch → not_found, nothing changes.
 */
export async function setDefaultBranch({
  db,
  actor,
  project,
  branch,
}: SetDefaultBranchOptions): Promise<Project> {
  await assertManager(db, actor, project);
  if (branch === project.defaultBranch) return project;
  const dir = repoDir(coreConfig().reposDir, project.namespace, project.path);
  try {
    await setHeadBranch(dir, branch);
  } catch (e) {
    // A branch that does not exist is a bad parameter here, not a missing resource.
    if (isGitInputError(e))
      throw new AppError("invalid_input", `branch ${branch} does not exist`, { field: "default_branch" });
    throw e;
  }
  return db.project.update({ where: { id: project.id }, data: { defaultBranch: branch } });
}
