import { rm } from "node:fs/promises";
import { initBareRepo, repoDir } from "@minilab/git";
import { Prisma, type Db, type Project, type User, type Visibility } from "@minilab/db";
import { checkPathSegment } from "../auth/names.ts";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { ACCESS_LEVELS } from "./access-levels.ts";

export interface CreateProjectOptions {
  db: Db;
  /** Personal projects live in the owner's namespace (their username). */
  owner: User;
  name: string;
  /** URL segment. @defaultValue derived from `name`: lowercased, whitespace → '-' */
  path?: string;
  /** @defaultValue "" */
  description?: string;
  /** @defaultValue "private" */
  visibility?: Visibility;
}

export const pathFromName = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, "-");

/**
 * Creates the row, then the bare repository. Invariant: no project row without a repository; if the
 * repository cannot be created the row is deleted again and the error propagates.
 */
export async function createProject({
  db,
  owner,
  name,
  path,
  description = "",
  visibility = "private",
}: CreateProjectOptions): Promise<Project> {
  const displayName = name.trim();
  if (!displayName || displayName.length > 255)
    throw new AppError("invalid_input", "name must be 1 to 255 characters", { field: "name" });
  const projectPath = path ?? pathFromName(displayName);
  checkPathSegment("path", projectPath);
  const namespace = owner.username;
  const taken = await db.project.findFirst({
    where: {
      namespace: { equals: namespace, mode: "insensitive" },
      path: { equals: projectPath, mode: "insensitive" },
    },
    select: { id: true },
  });
  if (taken) throw new AppError("conflict", `${namespace}/${projectPath} already exists`, { field: "path" });
  let project: Project;
  try {
    // The creator is an owner member and the default branch starts protected (maintainers push,
    // no force push), as in GitLab; all in the same transaction as the project row.
    project = await db.project.create({
      data: {
        namespace,
        path: projectPath,
        name: displayName,
        description,
        visibility,
        ownerId: owner.id,
        members: { create: { userId: owner.id, accessLevel: ACCESS_LEVELS.owner } },
        // initBareRepo creates the repository with HEAD → main, the defaultBranch column default.
        protectedBranches: { create: { name: "main" } },
      },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("conflict", `${namespace}/${projectPath} already exists`, { field: "path" });
    }
    throw e;
  }
  const dir = repoDir(coreConfig().reposDir, namespace, projectPath);
  try {
    await initBareRepo(dir);
  } catch (e) {
    await db.project.delete({ where: { id: project.id } });
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return project;
}
