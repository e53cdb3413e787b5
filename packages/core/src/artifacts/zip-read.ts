/**
 * Reading stored artifact archives with yauzl: the file list (taken once, at upload) and one entry
 * as a stream (browse/download of a single file). yauzl validates entry names (no absolute paths, no
 * `..`), so an archive that tries to escape is refused at upload.
 */
import type { Readable } from "node:stream";
import yauzl from "yauzl";

export interface ArchiveEntry {
  path: string;
  size: number;
}

/** Every file entry (directories skipped); throws on a malformed archive. */
export async function listArchive(file: string, maxEntries = 100_000): Promise<ArchiveEntry[]> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  return new Promise((resolve, reject) => {
    const out: ArchiveEntry[] = [];
    zip.on("error", reject);
    zip.on("end", () => resolve(out));
    zip.on("entry", (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith("/")) out.push({ path: entry.fileName, size: entry.uncompressedSize });
      if (out.length > maxEntries) {
        zip.close();
        reject(new Error(`more than ${maxEntries} files`));
        return;
      }
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/** A stream of one entry's bytes, or null when the archive has no such file. */
export async function openArchiveEntry(file: string, entryPath: string): Promise<Readable | null> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve(null));
    zip.on("entry", (e: yauzl.Entry) => (e.fileName === entryPath ? resolve(e) : zip.readEntry()));
    zip.readEntry();
  });
  if (!entry) {
    zip.close();
    return null;
  }
  const stream = await zip.openReadStreamPromise(entry);
  stream.on("close", () => zip.close());
  stream.on("end", () => zip.close());
  return stream;
}
