/** The project's Container registry page: repositories and tags, and deleting a tag. */
import type { Db, Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { assertCanRead, canManageProject, canReadRepository } from "../projects/permissions.ts";

export interface RegistryTagView {
  id: number;
  name: string;
  digest: string;
  mediaType: string;
  /** Config + layers (image) or child manifests (index), in bytes. */
  size: number;
  createdAt: Date;
  updatedAt: Date;
  pipelineId: number | null;
  jobId: number | null;
  pushedBy: string | null;
}

export interface RegistryRepositoryView {
  id: number;
  /** Full path as used in `docker pull`, without the host. */
  path: string;
  createdAt: Date;
  tags: RegistryTagView[];
}

export interface ListProjectRegistryOptions {
  db: Db;
  user: User | null;
  project: Project;
}

export async function listProjectRegistry({
  db,
  user,
  project,
}: ListProjectRegistryOptions): Promise<{ repositories: RegistryRepositoryView[]; canDelete: boolean }> {
  const level = await accessLevelFor({ db, user, project });
  assertCanRead(user, project, level);
  if (!canReadRepository(user, project, level))
    throw new AppError("not_found", "container registry not found");
  const repos = await db.registryRepository.findMany({
    where: { projectId: project.id },
    orderBy: { path: "asc" },
    include: {
      tags: {
        orderBy: { updatedAt: "desc" },
        include: { manifest: { select: { digest: true, mediaType: true, contentSize: true } } },
      },
    },
  });
  const pusherIds = [
    ...new Set(repos.flatMap((r) => r.tags.map((t) => t.pushedById)).filter((x) => x !== null)),
  ];
  const pushers = new Map(
    (await db.user.findMany({ where: { id: { in: pusherIds } }, select: { id: true, username: true } })).map(
      (u) => [u.id, u.username],
    ),
  );
  return {
    canDelete: canManageProject(level),
    repositories: repos.map((r) => ({
      id: r.id,
      path: r.path,
      createdAt: r.createdAt,
      tags: r.tags.map((t) => ({
        id: t.id,
        name: t.name,
        digest: t.manifest.digest,
        mediaType: t.manifest.mediaType,
        size: Number(t.manifest.contentSize),
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
        pipelineId: t.pipelineId,
        jobId: t.jobId,
        pushedBy: t.pushedById !== null ? (pushers.get(t.pushedById) ?? null) : null,
      })),
    })),
  };
}

export interface DeleteRegistryTagOptions {
  db: Db;
  user: User | null;
  project: Project;
  tagId: number;
}

/** Deletes one tag (maintainer+). The manifest and blobs go at the next garbage collection. */
export async function deleteRegistryTag({
  db,
  user,
  project,
  tagId,
}: DeleteRegistryTagOptions): Promise<void> {
  const level = await accessLevelFor({ db, user, project });
  assertCanRead(user, project, level);
  if (!canManageProject(level)) throw new AppError("forbidden", "only maintainers may delete image tags");
  const n = await db.registryTag.deleteMany({ where: { id: tagId, repository: { projectId: project.id } } });
  if (n.count === 0) throw new AppError("not_found", "tag not found");
}
