/**
 * Removes artifact files no `job_artifacts` row refers to: files of jobs deleted by a crash between a
 * delete's commit and its file removal, uploads whose row insert failed after the file was moved in,
 * and spooled uploads (`tmp/`) of a process that died mid-upload.
 *
 * Only files older than `graceMs` are touched: an upload moves its file into place *before* inserting
 * the row, so a young file without a row may be an upload about to commit. Safe to run in several
 * processes at once (removing a removed file is a no-op). Walks `<artifactsDir>/<project>/<job>/`,
 * looking rows up one project directory at a time.
 */
import { readdir, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@minilab/db";
import { coreConfig } from "../config.ts";

export interface SweepOrphanArtifactsOptions {
  db: Db;
  now?: Date;
  /** @defaultValue 1 hour */
  graceMs?: number;
}

const entries = (dir: string): Promise<string[]> => readdir(dir).catch(() => []);

/** Returns how many files were removed. */
export async function sweepOrphanArtifacts({
  db,
  now = new Date(),
  graceMs = 3600_000,
}: SweepOrphanArtifactsOptions): Promise<number> {
  const root = coreConfig().artifactsDir;
  const old = async (file: string): Promise<boolean> => {
    const s = await stat(file).catch(() => null);
    return s !== null && s.isFile() && now.getTime() - s.mtimeMs >= graceMs;
  };
  let removed = 0;
  for (const name of await entries(path.join(root, "tmp"))) {
    const file = path.join(root, "tmp", name);
    if (await old(file)) {
      await rm(file, { force: true });
      removed++;
    }
  }
  for (const project of await entries(root)) {
    if (!/^\d+$/.test(project)) continue;
    const candidates: string[] = [];
    for (const job of await entries(path.join(root, project))) {
      if (!/^\d+$/.test(job)) continue;
      for (const file of await entries(path.join(root, project, job)))
        candidates.push(path.join(project, job, file));
    }
    if (candidates.length === 0) continue;
    const known = new Set(
      (
        await db.jobArtifact.findMany({
          where: { storagePath: { in: candidates } },
          select: { storagePath: true },
        })
      ).map((r) => r.storagePath),
    );
    for (const rel of candidates) {
      if (known.has(rel) || !(await old(path.join(root, rel)))) continue;
      await rm(path.join(root, rel), { force: true });
      await rmdir(path.dirname(path.join(root, rel))).catch(() => undefined); // only when empty
      removed++;
    }
  }
  return removed;
}
