/**
 * Zip archives on the runner: artifacts and cache are written with yazl from a file list and read
 * back with yauzl into a project dir. Extraction refuses entries that would land outside the target
 * (yauzl rejects absolute and `..` names; symlink entries are skipped), and keeps file modes.
 */
import { createWriteStream } from "node:fs";
import { chmod, mkdir, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import yazl from "yazl";

/** Writes `files` (relative to `root`) to `dest` atomically; returns the archive size. */
export async function writeZip(root: string, files: string[], dest: string): Promise<number> {
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
  const zip = new yazl.ZipFile();
  try {
    for (const f of files) {
      const st = await stat(path.join(root, f)).catch(() => null);
      if (!st?.isFile()) continue;
      zip.addFile(path.join(root, f), f, { mode: st.mode, mtime: st.mtime });
    }
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(tmp));
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return (await stat(dest)).size;
}

/** Extracts every file entry of `archive` under `root`; returns the number of files written. */
export async function extractZip(archive: string, root: string): Promise<number> {
  const zip = await yauzl.openPromise(archive, { lazyEntries: true });
  const base = path.resolve(root);
  const realBase = await realpath(base);
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: yauzl.Entry) => {
      void (async () => {
        const dest = path.resolve(base, entry.fileName);
        if (dest !== base && !dest.startsWith(base + path.sep))
          throw new Error(`unsafe entry ${entry.fileName}`);
        const mode = (entry.externalFileAttributes >>> 16) & 0o170777;
        if (entry.fileName.endsWith("/")) await mkdir(dest, { recursive: true });
        else if ((mode & 0o170000) === 0o120000) {
          // symlink entry: skipped (could point anywhere)
        } else {
          // A directory symlink left by an earlier job (fetch strategy, cache) must not redirect the write.
          await assertInside(realBase, path.dirname(dest), entry.fileName);
          await mkdir(path.dirname(dest), { recursive: true });
          await assertInside(realBase, path.dirname(dest), entry.fileName);
          await rm(dest, { force: true, recursive: true });
          await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(dest));
          if (mode & 0o777) await chmod(dest, mode & 0o777);
          count++;
        }
      })().then(() => zip.readEntry(), reject);
    });
    zip.readEntry();
  });
  return count;
}

/** The nearest existing ancestor of `dir`, symlinks resolved, must be `realBase` or below it. */
async function assertInside(realBase: string, dir: string, name: string): Promise<void> {
  let probe = dir;
  for (;;) {
    const real = await realpath(probe).catch(() => null);
    if (real !== null) {
      if (real === realBase || real.startsWith(realBase + path.sep)) return;
      throw new Error(`entry ${name} would be written outside the project dir`);
    }
    const up = path.dirname(probe);
    if (up === probe) throw new Error(`entry ${name}: no existing parent directory`);
    probe = up;
  }
}
