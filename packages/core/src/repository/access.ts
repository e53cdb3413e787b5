/**
 * Shared by the repository use-cases: the read permission check (same rule as the project page:
 * outsiders of a private project get not_found/unauthorized) and the mapping of git input errors.
 */
import type { Db, Project, User } from "@minilab/db";
import { isGitInputError, repoDir } from "@minilab/git";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { accessLevelFor, assertCanRead, canReadRepository } from "../projects/index.ts";

export type RepoProject = Pick<
  Project,
  "id" | "namespace" | "path" | "visibility" | "ownerId" | "defaultBranch"
>;

export interface RepoReadOptions {
  db: Db;
  user: User | null;
  project: RepoProject;
}

/**
 * Checks that the user may read the code (GitLab: private → reporter+, so a guest sees the project
 * but not its files) and returns the bare repository directory.
 */
export async function readableRepoDir({ db, user, project }: RepoReadOptions): Promise<string> {
  const level = await accessLevelFor({ db, user, project });
  assertCanRead(user, project, level);
  if (!canReadRepository(user, project, level)) throw notFound("repository");
  return repoDir(coreConfig().reposDir, project.namespace, project.path);
}

/** Runs a git read, turning GitInputError (bad ref/path from a URL) into the AppError of that code. */
export async function gitRead<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isGitInputError(e)) throw new AppError(e.code, e.message);
    throw e;
  }
}

export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} not found`);
}
