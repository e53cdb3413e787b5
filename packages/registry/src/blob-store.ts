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
import { createReadStream, type ReadStream } from "node:fs";
import {
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
  type FileHandle,
} from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { digestHex } from "./digest.ts";
import { RegistryError } from "./errors.ts";
import { fileByteStream, IO_CHUNK_BYTES } from "./file-stream.ts";

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

/**
 * An upload or manifest body: a Node `Readable` (an `IncomingMessage`, read by events: no promise
 * per socket chunk), any async iterable of bytes (a web `ReadableStream`), or null for none.
 */
export type BodySource = Readable | AsyncIterable<Uint8Array> | null;

/** An open stored blob: bytes `start..end` (end exclusive) of `handle`, which the caller closes. */
export interface BlobFile {
  handle: FileHandle;
  start: number;
  end: number;
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

  /** Streams a stored blob (optionally bytes start..end inclusive) as a Node stream. */
  open(digest: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.blobPath(digest), {
      highWaterMark: IO_CHUNK_BYTES,
      ...(range ? { start: range.start, end: range.end } : {}),
    });
  }

  /**
   * A stored blob (optionally bytes start..end inclusive) as a web byte stream for an HTTP
   * response: the file is opened now (null when it is gone) and read in large chunks, one read
   * ahead of the consumer. See {@link fileByteStream}.
   */
  async openStream(
    digest: string,
    range?: { start: number; end: number },
  ): Promise<ReadableStream<Uint8Array> | null> {
    return fileByteStream(this.blobPath(digest), range);
  }

  /**
   * A stored blob opened for reading (optionally bytes start..end inclusive), or null when it is not
   * on disk (garbage-collected since it was looked up). The caller closes the handle.
   */
  async openFile(digest: string, range?: { start: number; end: number }): Promise<BlobFile | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.blobPath(digest), "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    if (range) return { handle, start: range.start, end: range.end + 1 };
    try {
      return { handle, start: 0, end: (await handle.stat()).size };
    } catch (e) {
      await handle.close();
      throw e;
    }
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
  async append(upload: UploadInfo, body: BodySource, start?: number): Promise<number> {
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
      const file = await open(path.join(this.uploadDir(upload.id), "data"), "a");
      try {
        if (body instanceof Readable) await appendHashedFromReadable(body, file, run, this.maxBlobBytes);
        else await appendHashed(body, file, run, this.maxBlobBytes);
      } catch (e) {
        // The file may hold part of the body now: forget the hash so the next request re-hashes.
        this.running.delete(upload.id);
        throw e;
      } finally {
        await file.close();
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
    body: BodySource,
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
    for await (const chunk of createReadStream(path.join(this.uploadDir(upload.id), "data"), {
      highWaterMark: IO_CHUNK_BYTES,
    }) as AsyncIterable<Buffer>) {
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

/**
 * Hashes `body` chunk by chunk as it arrives and appends it to `file` in batches of about
 * {@link IO_CHUNK_BYTES} (one vectored write per batch, no copy), keeping one write in flight while
 * the next batch is read: the socket's 16–64 KiB chunks cost a hash update each, not a syscall and a
 * promise each. `run` is updated in place; over `limit` bytes in total → 413 SIZE_INVALID.
 */
async function appendHashed(
  body: AsyncIterable<Uint8Array>,
  file: FileHandle,
  run: Running,
  limit: number,
): Promise<void> {
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const flush = async (): Promise<void> => {
    const chunks = batch;
    batch = [];
    batchBytes = 0;
    await writing;
    writing = writeAll(file, chunks);
    // Its error is taken by the next `await writing`; until then it must not count as unhandled.
    writing.catch(() => undefined);
  };
  try {
    for await (const chunk of body) {
      run.size += chunk.byteLength;
      if (run.size > limit)
        throw new RegistryError("SIZE_INVALID", `blob exceeds ${limit} bytes`, { status: 413 });
      run.hash.update(chunk);
      batch.push(chunk);
      batchBytes += chunk.byteLength;
      if (batchBytes >= IO_CHUNK_BYTES) await flush();
    }
    if (batch.length) await flush();
  } finally {
    // Never leave a write running on a handle the caller is about to close; its error wins.
    await writing;
  }
}

/**
 * {@link appendHashed} for a Node `Readable` (the registry server's `IncomingMessage`), driven by
 * `data` events instead of `for await`: each socket chunk is hashed and copied synchronously into
 * one of two ~{@link IO_CHUNK_BYTES} buffers allocated once per request, no promise per chunk. A
 * full buffer is written while the other fills; when both are busy the body is paused until the
 * write is done (backpressure). Copying instead of keeping the chunks matters in a big process:
 * chunks held across a disk write outlive the young generation, and tens of MB of such buffers
 * bring on full GCs of the whole heap (measured: the GC was half the CPU of an upload).
 */
function appendHashedFromReadable(
  body: Readable,
  file: FileHandle,
  run: Running,
  limit: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const buffers = [Buffer.allocUnsafe(IO_CHUNK_BYTES), Buffer.allocUnsafe(IO_CHUNK_BYTES)];
    let current = 0;
    let fill = 0;
    /** Chunks that arrived while both buffers were busy (the body is paused meanwhile). */
    const pending: Buffer[] = [];
    let writing: Promise<void> | null = null;
    let ended = false;
    let settled = false;
    const cleanup = (): void => {
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onError);
      body.off("close", onClose);
    };
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      body.pause();
      const error = e instanceof Error ? e : new Error(String(e));
      // Never leave a write running on a handle the caller is about to close.
      void (writing ?? Promise.resolve()).then(
        () => reject(error),
        () => reject(error),
      );
    };
    const succeed = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve();
    };
    /** Writes the filled part of the current buffer and switches to the other (free: one write at a time). */
    const flush = (): void => {
      const full = buffers[current]!.subarray(0, fill);
      current ^= 1;
      fill = 0;
      writing = writeAll(file, [full]).then(afterWrite, fail);
    };
    /** Copies `chunk` into the buffers; false when it had to be parked because both are busy. */
    const absorb = (chunk: Buffer): boolean => {
      let offset = 0;
      while (offset < chunk.byteLength) {
        if (fill === IO_CHUNK_BYTES) {
          if (writing) {
            pending.push(chunk.subarray(offset));
            return false;
          }
          flush();
        }
        const n = chunk.copy(buffers[current]!, fill, offset);
        fill += n;
        offset += n;
      }
      if (fill === IO_CHUNK_BYTES && !writing) flush();
      return true;
    };
    const afterWrite = (): void => {
      writing = null;
      if (settled) return;
      while (pending.length) if (!absorb(pending.shift()!)) return;
      if (ended) {
        if (writing) return;
        if (fill > 0) flush();
        else succeed();
        return;
      }
      if (body.isPaused()) body.resume();
    };
    const onData = (chunk: Buffer): void => {
      run.size += chunk.byteLength;
      if (run.size > limit)
        return fail(new RegistryError("SIZE_INVALID", `blob exceeds ${limit} bytes`, { status: 413 }));
      run.hash.update(chunk);
      if (pending.length) pending.push(chunk);
      else if (!absorb(chunk)) body.pause();
    };
    const onEnd = (): void => {
      ended = true;
      if (writing || pending.length) return;
      if (fill > 0) flush();
      else succeed();
    };
    const onError = (e: Error): void => fail(e);
    // `close` before `end`: the client went away mid-body.
    const onClose = (): void => {
      if (!ended) fail(Object.assign(new Error("request body ended early"), { code: "ECONNRESET" }));
    };
    if (body.readableEnded) return resolve();
    body.on("data", onData);
    body.on("end", onEnd);
    body.on("error", onError);
    body.on("close", onClose);
    body.resume();
  });
}

/** `writev` until every byte of `chunks` is written (a short write is possible, if rare). */
async function writeAll(file: FileHandle, chunks: Uint8Array[]): Promise<void> {
  let rest = chunks;
  while (rest.length) {
    const { bytesWritten } = await file.writev(rest);
    let skip = bytesWritten;
    const next: Uint8Array[] = [];
    for (const c of rest) {
      if (skip >= c.byteLength) skip -= c.byteLength;
      else {
        next.push(skip ? c.subarray(skip) : c);
        skip = 0;
      }
    }
    rest = next;
  }
}
