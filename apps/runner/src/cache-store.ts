/**
 * The runner-local cache: one zip per (project, key) under `cache_dir`, written atomically (temp file
 * + rename, so concurrent jobs never read half an archive). Bounded by `cache_max_size`: after each
 * save the least recently used archives (mtime, refreshed on every hit) are removed until the total
 * fits again. An archive larger than the whole bound is not kept at all.
 */
import { readdir, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";

export class CacheStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Archive path for a key; keys were validated by the caller (no `/`, not `.`/`..`). */
  file(projectId: string, key: string): string {
    return path.join(
      this.dir,
      `project-${projectId.replace(/[^0-9A-Za-z_-]/g, "_")}`,
      `${encodeURIComponent(key)}.zip`,
    );
  }

  /** The archive for `key` when present; marks it as used. */
  async lookup(projectId: string, key: string): Promise<string | null> {
    const file = this.file(projectId, key);
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) return null;
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return file;
  }

  /** Removes least recently used archives until the store fits `maxBytes`; returns how many. */
  async evict(): Promise<number> {
    const entries: { file: string; size: number; used: number }[] = [];
    for (const project of await readdir(this.dir).catch(() => [])) {
      const pdir = path.join(this.dir, project);
      for (const name of await readdir(pdir).catch(() => [])) {
        if (!name.endsWith(".zip")) continue;
        const st = await stat(path.join(pdir, name)).catch(() => null);
        if (st?.isFile()) entries.push({ file: path.join(pdir, name), size: st.size, used: st.mtimeMs });
      }
    }
    let total = entries.reduce((n, e) => n + e.size, 0);
    let removed = 0;
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes) break;
      await rm(e.file, { force: true });
      total -= e.size;
      removed++;
    }
    return removed;
  }
}
