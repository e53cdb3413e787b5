/**
 * Content-addressed blob storage on disk and blob upload sessions.
 *
 * Layout under `root`:
 * - `blobs/sha256/<first 2 hex>/<hex>`: one file per blob, written once, never modified;
 * - `uploads/<uuid>/data` + `uploads/<uuid>/info.json`: an upload in progress.
 *
 * Every byte is hashed while it streams to disk (no second read in the common case), and a blob
 * enters `blobs/` only by an atomic rename after its sha256 matched the digest the client claimed.
 * The running hash of an upload lives in this process's memory between PATCH requests; when it is
 * missing (another web process, a restart) the upload file is re-hashed from disk, so sessions survive.
 *
 * Concurrency: one request at a time per upload (the spec requires clients to send chunks in
 * order); a second concurrent request on the same upload gets BLOB_UPLOAD_INVALID. Two uploads of the
 * same blob may finish concurrently: both renames put identical bytes at the same path.
 */
import { createHash, randomUUID, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { digestHex } from "./digest.ts";
import { RegistryError } from "./errors.ts";

export interface BlobStoreOptions {
  /** Directory the store owns. */
  root: string;
  /** Largest blob accepted; larger uploads fail with 413 SIZE_INVALID. @defaultValue 10 GiB */
  maxBlobBytes?: number;
}

export interface UploadInfo {
  id: string;
  /** The repository the upload was started in (uploads are bound to it). */
  repository: string;
  startedAt: Date;
  /** Bytes received so far. */
  size: number;
}

interface Running {
  hash: Hash;
  size: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class BlobStore {
  readonly root: string;
  readonly maxBlobBytes: number;
  private readonly running = new Map<string, Running>();
  private readonly busy = new Set<string>();

  constructor(opts: BlobStoreOptions) {
    this.root = opts.root;
    this.maxBlobBytes = opts.maxBlobBytes ?? 10 * 1024 ** 3;
  }

  blobPath(digest: string): string {
    const hex = digestHex(digest);
    return path.join(this.root, "blobs", "sha256", hex.slice(0, 2), hex);
  }

  /** Size of a stored blob, or null when it is not on disk. */
  async size(digest: string): Promise<number | null> {
    try {
      return (await stat(this.blobPath(digest))).size;
    } catch {
      return null;
    }
  }

  /** Streams a stored blob (optionally bytes start..end inclusive). */
  open(digest: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.blobPath(digest), range ? { start: range.start, end: range.end } : {});
  }

  async remove(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  private uploadDir(id: string): string {
    if (!UUID.test(id)) throw new RegistryError("BLOB_UPLOAD_UNKNOWN", "upload unknown");
    return path.join(this.root, "uploads", id);
  }

  async startUpload(repository: string): Promise<UploadInfo> {
    const id = randomUUID();
    const dir = this.uploadDir(id);
    await mkdir(dir, { recursive: true });
    const startedAt = new Date();
    await writeFile(path.join(dir, "data"), "");
    await writeFile(path.join(dir, "info.json"), JSON.stringify({ repository, startedAt }));
    this.running.set(id, { hash: createHash("sha256"), size: 0 });
    return { id, repository, startedAt, size: 0 };
  }

  /** The upload `id` of `repository`; BLOB_UPLOAD_UNKNOWN when unknown or started elsewhere. */
  async upload(id: string, repository: string): Promise<UploadInfo> {
    const dir = this.uploadDir(id);
    let info: { repository: string; startedAt: string };
    let size: number;
    try {
      info = JSON.parse(await readFile(path.join(dir, "info.json"), "utf8")) as typeof info;
      size = (await stat(path.join(dir, "data"))).size;
    } catch {
      throw new RegistryError("BLOB_UPLOAD_UNKNOWN", "upload unknown");
    }
    if (info.repository !== repository) throw new RegistryError("BLOB_UPLOAD_UNKNOWN", "upload unknown");
    return { id, repository, startedAt: new Date(info.startedAt), size };
  }

  /**
   * Appends `body` to the upload. `start`, when the client sent a Content-Range, must equal the
   * bytes received so far (416 otherwise). Returns the new size.
   */
  async append(upload: UploadInfo, body: AsyncIterable<Uint8Array> | null, start?: number): Promise<number> {
    if (start !== undefined && start !== upload.size)
      throw new RegistryError(
        "RANGE_INVALID",
        `upload is at offset ${upload.size}, chunk starts at ${start}`,
        {
          detail: { offset: upload.size },
        },
      );
    if (!body) return upload.size;
    return this.exclusive(upload.id, async () => {
      const run = await this.runningHash(upload);
      const limit = this.maxBlobBytes;
      const dataPath = path.join(this.uploadDir(upload.id), "data");
      try {
        await pipeline(
          body,
          async function* (src: AsyncIterable<Uint8Array>) {
            for await (const chunk of src) {
              run.size += chunk.byteLength;
              if (run.size > limit)
                throw new RegistryError("SIZE_INVALID", `blob exceeds ${limit} bytes`, { status: 413 });
              run.hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(dataPath, { flags: "a" }),
        );
      } catch (e) {
        // The file may hold a partial chunk now: forget the hash so the next request re-hashes.
        this.running.delete(upload.id);
        throw e;
      }
      return run.size;
    });
  }

  /**
   * Appends `body` (may be null), checks the sha256 of everything received against `digest` and
   * moves the data into place. DIGEST_INVALID (400) on mismatch; the upload is discarded then.
   */
  async finish(
    upload: UploadInfo,
    digest: string,
    body: AsyncIterable<Uint8Array> | null,
  ): Promise<{ digest: string; size: number }> {
    const hex = digestHex(digest);
    const size = await this.append(upload, body);
    const actual = await this.exclusive(upload.id, async () => {
      const run = await this.runningHash({ ...upload, size });
      return run.hash.copy().digest("hex");
    });
    const dir = this.uploadDir(upload.id);
    if (actual !== hex) {
      await this.cancel(upload.id);
      throw new RegistryError("DIGEST_INVALID", `content does not match digest ${digest}`, {
        detail: { expected: digest, actual: `sha256:${actual}` },
      });
    }
    const target = this.blobPath(digest);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(dir, "data"), target);
    await this.cancel(upload.id);
    return { digest, size };
  }

  async cancel(id: string): Promise<void> {
    this.running.delete(id);
    await rm(this.uploadDir(id), { recursive: true, force: true });
  }

  /** Deletes upload sessions started before `before` (abandoned pushes). Returns how many. */
  async removeStaleUploads(before: Date): Promise<number> {
    let names: string[];
    try {
      names = await readdir(path.join(this.root, "uploads"));
    } catch {
      return 0;
    }
    let removed = 0;
    for (const id of names) {
      if (!UUID.test(id) || this.busy.has(id)) continue;
      const dir = path.join(this.root, "uploads", id);
      const mtime = await stat(dir).then(
        (s) => s.mtime,
        () => null,
      );
      const data = await stat(path.join(dir, "data")).then(
        (s) => s.mtime,
        () => null,
      );
      const last = Math.max(mtime?.getTime() ?? 0, data?.getTime() ?? 0);
      if (last < before.getTime()) {
        await this.cancel(id);
        removed++;
      }
    }
    return removed;
  }

  private async runningHash(upload: UploadInfo): Promise<Running> {
    const known = this.running.get(upload.id);
    if (known && known.size === upload.size) return known;
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of createReadStream(
      path.join(this.uploadDir(upload.id), "data"),
    ) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    const run = { hash, size };
    this.running.set(upload.id, run);
    return run;
  }

  private async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy.has(id))
      throw new RegistryError("BLOB_UPLOAD_INVALID", "another request is writing to this upload");
    this.busy.add(id);
    try {
      return await fn();
    } finally {
      this.busy.delete(id);
    }
  }
}
