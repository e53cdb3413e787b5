/**
 * Removes artifacts past their `expire_at`: row first (so they stop being served at once), then the
 * file. Bounded per run; the loop (./artifact-expiry-loop.ts) calls it again until nothing is left.
 * Safe when several processes run it: deleteMany on already deleted ids changes nothing.
 */
import type { Db } from "@minilab/db";
import { removeStored } from "./artifact-storage.ts";

export interface ExpireArtifactsOptions {
  db: Db;
  now?: Date;
  /** @defaultValue 500 */
  batch?: number;
}

export async function expireArtifacts({
  db,
  now = new Date(),
  batch = 500,
}: ExpireArtifactsOptions): Promise<number> {
  const rows = await db.jobArtifact.findMany({
    where: { expireAt: { lte: now } },
    select: { id: true, storagePath: true },
    orderBy: { expireAt: "asc" },
    take: batch,
  });
  if (rows.length === 0) return 0;
  await db.jobArtifact.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  for (const r of rows) await removeStored(r.storagePath);
  return rows.length;
}
