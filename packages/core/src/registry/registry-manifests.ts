/**
 * Manifest and tag use-cases of the registry API. A manifest is accepted only when every blob it
 * references is linked into the repository (and every child manifest of an index is stored there),
 * so a pushed tag can always be pulled completely.
 */
import type { Db } from "@minilab/db";
import { RegistryError, parseManifest, parseReference, type RegistryTokenClaims } from "@minilab/registry";
import { ensureRepository } from "./registry-blobs.ts";

export interface StoredManifest {
  digest: string;
  mediaType: string;
  content: Uint8Array;
}

export interface PutManifestOptions {
  db: Db;
  name: string;
  reference: string;
  bytes: Uint8Array;
  contentType: string | null;
  /** The pusher, recorded on the tag (user, or the CI job and its pipeline). */
  claims: RegistryTokenClaims;
}

export async function putManifest({
  db,
  name,
  reference,
  bytes,
  contentType,
  claims,
}: PutManifestOptions): Promise<{ digest: string }> {
  const ref = parseReference(reference);
  const parsed = parseManifest(bytes, contentType);
  if (ref.kind === "digest" && ref.digest !== parsed.digest)
    throw new RegistryError("DIGEST_INVALID", "manifest digest does not match its content", {
      detail: { expected: ref.digest, actual: parsed.digest },
    });
  const repo = await ensureRepository(db, name);
  const blobDigests = parsed.references.filter((r) => r.kind !== "manifest").map((r) => r.digest);
  const childDigests = parsed.references.filter((r) => r.kind === "manifest").map((r) => r.digest);
  const [links, children] = await Promise.all([
    db.registryRepositoryBlob.findMany({
      where: { repositoryId: repo.id, digest: { in: blobDigests } },
      select: { digest: true },
    }),
    db.registryManifest.findMany({
      where: { repositoryId: repo.id, digest: { in: childDigests } },
      select: { digest: true },
    }),
  ]);
  const present = new Set([...links, ...children].map((x) => x.digest));
  const missing = parsed.references.filter((r) => !present.has(r.digest));
  if (missing.length > 0)
    throw new RegistryError("MANIFEST_BLOB_UNKNOWN", "manifest references blobs unknown to this repository", {
      detail: missing.map((m) => m.digest),
    });
  const job = claims.jid
    ? await db.job.findUnique({ where: { id: claims.jid }, select: { id: true, pipelineId: true } })
    : null;
  await db.$transaction(async (tx) => {
    const manifest = await tx.registryManifest.upsert({
      where: { repositoryId_digest: { repositoryId: repo.id, digest: parsed.digest } },
      create: {
        repositoryId: repo.id,
        digest: parsed.digest,
        mediaType: parsed.mediaType,
        content: Buffer.from(bytes),
        contentSize: BigInt(parsed.contentSize),
        references: {
          createMany: { data: parsed.references.map((r) => ({ digest: r.digest, kind: r.kind })) },
        },
      },
      update: {},
      select: { id: true },
    });
    if (ref.kind === "tag") {
      const pusher = {
        manifestId: manifest.id,
        pushedById: claims.uid,
        pipelineId: job?.pipelineId ?? null,
        jobId: job?.id ?? null,
      };
      await tx.registryTag.upsert({
        where: { repositoryId_name: { repositoryId: repo.id, name: ref.tag } },
        create: { repositoryId: repo.id, name: ref.tag, ...pusher },
        update: pusher,
      });
    }
  });
  return { digest: parsed.digest };
}

export async function getManifest(db: Db, name: string, reference: string): Promise<StoredManifest> {
  const ref = parseReference(reference);
  const select = { digest: true, mediaType: true, content: true } as const;
  const found =
    ref.kind === "digest"
      ? await db.registryManifest.findFirst({
          where: { digest: ref.digest, repository: { path: name } },
          select,
        })
      : (
          await db.registryTag.findFirst({
            where: { name: ref.tag, repository: { path: name } },
            select: { manifest: { select } },
          })
        )?.manifest;
  if (!found) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown", { detail: reference });
  return { digest: found.digest, mediaType: found.mediaType, content: found.content };
}

/**
 * DELETE /v2/<name>/manifests/<reference>: a digest deletes the manifest and every tag pointing at
 * it; a tag deletes only the tag. Blobs are reclaimed later by garbage collection.
 */
export async function deleteManifest(db: Db, name: string, reference: string): Promise<void> {
  const ref = parseReference(reference);
  const where = ref.kind === "digest" ? { digest: ref.digest, repository: { path: name } } : null;
  const n = where
    ? (await db.registryManifest.deleteMany({ where })).count
    : (
        await db.registryTag.deleteMany({
          where: { name: ref.kind === "tag" ? ref.tag : "", repository: { path: name } },
        })
      ).count;
  if (n === 0) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown", { detail: reference });
}

/** Tags in lexical order, at most `n` after `last` (the spec's pagination). */
export async function listTags(
  db: Db,
  name: string,
  page: { n: number; last: string | null },
): Promise<{ tags: string[]; more: boolean }> {
  const repo = await db.registryRepository.findUnique({ where: { path: name }, select: { id: true } });
  if (!repo) throw new RegistryError("NAME_UNKNOWN", `repository name not known to registry: ${name}`);
  const rows = await db.registryTag.findMany({
    where: { repositoryId: repo.id, ...(page.last !== null ? { name: { gt: page.last } } : {}) },
    orderBy: { name: "asc" },
    take: page.n + 1,
    select: { name: true },
  });
  return { tags: rows.slice(0, page.n).map((r) => r.name), more: rows.length > page.n };
}
