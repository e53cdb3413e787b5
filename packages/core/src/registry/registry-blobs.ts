/**
 * Blob use-cases of the registry API. The bytes live in the BlobStore; Postgres records which blobs
 * exist (`registry_blobs`) and which repository may serve each (`registry_repository_blobs`).
 * A repository row is created by the first blob or manifest linked into it.
 */
import type { Db } from "@minilab/db";
import { RegistryError, digestHex, type UploadInfo } from "@minilab/registry";
import { projectOfRepository } from "./registry-access.ts";
import { registryStore } from "./registry-store.ts";

export type ByteSource = AsyncIterable<Uint8Array> | null;

/** The repository row for `name`, created on first use. NAME_UNKNOWN when no project owns the path. */
export async function ensureRepository(db: Db, name: string): Promise<{ id: number }> {
  const existing = await db.registryRepository.findUnique({ where: { path: name }, select: { id: true } });
  if (existing) return existing;
  const project = await projectOfRepository(db, name);
  if (!project) throw new RegistryError("NAME_UNKNOWN", `repository name not known to registry: ${name}`);
  return db.registryRepository.upsert({
    where: { path: name },
    create: { path: name, projectId: project.id },
    update: {},
    select: { id: true },
  });
}

/** Size of blob `digest` as served by repository `name`; BLOB_UNKNOWN when it is not linked there. */
export async function statRepositoryBlob(db: Db, name: string, digest: string): Promise<number> {
  digestHex(digest);
  const link = await db.registryRepositoryBlob.findFirst({
    where: { digest, repository: { path: name } },
    select: { blob: { select: { size: true } } },
  });
  const size = link ? await registryStore().size(digest) : null;
  if (!link || size === null)
    throw new RegistryError("BLOB_UNKNOWN", "blob unknown to registry", { detail: digest });
  return size;
}

async function linkBlob(
  db: Db,
  name: string,
  digest: string,
  size: number,
  source: "upload" | "mount",
): Promise<void> {
  const repo = await ensureRepository(db, name);
  await db.registryBlob.upsert({ where: { digest }, create: { digest, size: BigInt(size) }, update: {} });
  await db.registryRepositoryBlob.upsert({
    where: { repositoryId_digest: { repositoryId: repo.id, digest } },
    create: { repositoryId: repo.id, digest, source },
    update: {},
  });
}

export async function startBlobUpload(db: Db, name: string): Promise<UploadInfo> {
  if (!(await projectOfRepository(db, name)))
    throw new RegistryError("NAME_UNKNOWN", `repository name not known to registry: ${name}`);
  return registryStore().startUpload(name);
}

export const findBlobUpload = (name: string, id: string): Promise<UploadInfo> =>
  registryStore().upload(id, name);

export const appendBlobUpload = (upload: UploadInfo, body: ByteSource, start?: number): Promise<number> =>
  registryStore().append(upload, body, start);

/** Completes an upload: verifies the digest, stores the blob and links it into the repository. */
export async function finishBlobUpload(
  db: Db,
  upload: UploadInfo,
  digest: string,
  body: ByteSource,
): Promise<{ digest: string; size: number }> {
  const done = await registryStore().finish(upload, digest, body);
  await linkBlob(db, upload.repository, done.digest, done.size, "upload");
  return done;
}

/**
 * Cross-repository mount: links blob `digest` of repository `from` into `name` without any bytes.
 * The caller must hold pull on `from` (checked by the route). False when `from` does not have the
 * blob; the client then uploads it.
 */
export async function mountBlob(db: Db, name: string, from: string, digest: string): Promise<boolean> {
  digestHex(digest);
  const link = await db.registryRepositoryBlob.findFirst({
    where: { digest, repository: { path: from } },
    select: { blob: { select: { size: true } } },
  });
  if (!link || (await registryStore().size(digest)) === null) return false;
  await linkBlob(db, name, digest, Number(link.blob.size), "mount");
  return true;
}

export const openBlob = (digest: string, range?: { start: number; end: number }) =>
  registryStore().open(digest, range);

/**
 * Blob `digest` (optionally bytes start..end inclusive) as a web stream for an HTTP response, read
 * in large chunks. BLOB_UNKNOWN when the file is gone (garbage-collected since it was looked up).
 */
export async function openBlobStream(
  digest: string,
  range?: { start: number; end: number },
): Promise<ReadableStream<Uint8Array>> {
  const body = await registryStore().openStream(digest, range);
  if (!body) throw new RegistryError("BLOB_UNKNOWN", "blob unknown to registry", { detail: digest });
  return body;
}

export const cancelBlobUpload = (upload: UploadInfo): Promise<void> => registryStore().cancel(upload.id);
