import { rename } from "node:fs/promises";
import { Prisma, type Db, type Project, type User } from "@minilab/db";
import { repoDir } from "@minilab/git";
import { checkPathSegment } from "../auth/names.ts";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { assertManager } from "./assert-manager.ts";

export interface RenameProjectOptions {
  db: Db;
  /** Must be maintainer+. */
  actor: User | null;
  project: Project;
  /** The new URL path segment inside the same namespace. */
  path: string;
}

/**
 * Changes the project's path and keeps the old one working: a ProjectRedirect row (lowercased, as
 * paths match case-insensitively) sends old web URLs and `git clone <old url>` to the new place.
 * A redirect that equals the new path is dropped (a real project wins over a redirect).
 *
 * Order: the bare repository is moved first, then the rows change in one transaction; if that
 * fails the directory is moved back. A git request already streaming from the old directory
 * keeps its open files and finishes; new requests use the new path.
 */
export async function renameProject({ db, actor, project, path }: RenameProjectOptions): Promise<Project> {
  await assertManager(db, actor, project);
  const newPath = path.trim();
  checkPathSegment("path", newPath);
  if (newPath === project.path) return project;
  const sameIgnoringCase = newPath.toLowerCase() === project.path.toLowerCase();
  if (!sameIgnoringCase) {
    const taken = await db.project.findFirst({
      where: {
        namespace: { equals: project.namespace, mode: "insensitive" },
        path: { equals: newPath, mode: "insensitive" },
      },
      select: { id: true },
    });
    if (taken)
      throw new AppError("conflict", `${project.namespace}/${newPath} already exists`, { field: "path" });
  }
  const root = coreConfig().reposDir;
  const from = repoDir(root, project.namespace, project.path);
  const to = repoDir(root, project.namespace, newPath);
  await rename(from, to);
  try {
    return await db.$transaction(async (tx) => {
      const updated = await tx.project.update({ where: { id: project.id }, data: { path: newPath } });
      const ns = project.namespace.toLowerCase();
      await tx.projectRedirect.deleteMany({ where: { namespace: ns, path: newPath.toLowerCase() } });
      if (!sameIgnoringCase) {
        await tx.projectRedirect.upsert({
          where: { namespace_path: { namespace: ns, path: project.path.toLowerCase() } },
          create: { projectId: project.id, namespace: ns, path: project.path.toLowerCase() },
          update: { projectId: project.id },
        });
      }
      return updated;
    });
  } catch (e) {
    await rename(to, from);
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new AppError("conflict", `${project.namespace}/${newPath} already exists`, { field: "path" });
    throw e;
  }
}
