/**
 * Registry garbage collection (admin-triggered with `npm run minilab -- registry gc`, and hourly in
 * the web process). Everything younger than the grace period is left alone, so a push in progress
 * (blobs uploaded, manifest not yet put; child manifests before their index) is never collected.
 *
 * 1. Untagged manifests no other manifest of the repository refers to (repeated, so an index's
 *    children go after the index).
 * 2. Repository blob links no manifest of that repository refers to.
 * 3. Blobs no repository links any more: the row, then the file. A mount racing with step 3 makes
 *    the row delete fail on the foreign key; that blob is simply kept until the next run.
 * 4. Upload sessions untouched for the grace period.
 */
import type { Db } from "@minilab/db";
import { registryStore } from "./registry-store.ts";

/** @defaultValue 1 hour */
export const REGISTRY_GC_GRACE_MS = 60 * 60 * 1000;

export interface GarbageCollectRegistryOptions {
  db: Db;
  gracePeriodMs?: number;
  now?: Date;
}

export interface RegistryGcResult {
  manifests: number;
  links: number;
  blobs: number;
  bytes: number;
  uploads: number;
}

export async function garbageCollectRegistry({
  db,
  gracePeriodMs = REGISTRY_GC_GRACE_MS,
  now = new Date(),
}: GarbageCollectRegistryOptions): Promise<RegistryGcResult> {
  const cutoff = new Date(now.getTime() - gracePeriodMs);
  let manifests = 0;
  for (let round = 0; round < 10; round++) {
    const n = await db.$executeRaw`
      DELETE FROM registry_manifests m
      WHERE m.created_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM registry_tags t WHERE t.manifest_id = m.id)
        AND NOT EXISTS (
          SELECT 1 FROM registry_manifest_references r
          JOIN registry_manifests p ON p.id = r.manifest_id
          WHERE r.digest = m.digest AND p.repository_id = m.repository_id)`;
    manifests += n;
    if (n === 0) break;
  }
  const links = await db.$executeRaw`
    DELETE FROM registry_repository_blobs l
    WHERE l.created_at < ${cutoff}
      AND NOT EXISTS (
        SELECT 1 FROM registry_manifest_references r
        JOIN registry_manifests m ON m.id = r.manifest_id
        WHERE r.digest = l.digest AND m.repository_id = l.repository_id)`;
  const orphans = await db.$queryRaw<{ digest: string; size: bigint }[]>`
    SELECT b.digest, b.size FROM registry_blobs b
    WHERE b.created_at < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM registry_repository_blobs l WHERE l.digest = b.digest)`;
  let blobs = 0;
  let bytes = 0;
  const store = registryStore();
  for (const o of orphans) {
    try {
      const gone = await db.$executeRaw`
        DELETE FROM registry_blobs b WHERE b.digest = ${o.digest}
          AND NOT EXISTS (SELECT 1 FROM registry_repository_blobs l WHERE l.digest = b.digest)`;
      if (gone === 0) continue;
    } catch {
      continue; // linked concurrently (foreign key): keep it
    }
    await store.remove(o.digest);
    blobs++;
    bytes += Number(o.size);
  }
  const uploads = await store.removeStaleUploads(cutoff);
  return { manifests, links, blobs, bytes, uploads };
}
