/**
 * File contents at a commit. Reads are capped (`maxBytes`) for display; `streamBlob` serves whole
 * files with backpressure for raw downloads, so neither path holds a large file in memory.
 */
import { spawn } from "node:child_process";
import { Readable } from "node:stream";
import { runGitCapped } from "./capped.ts";
import { checkFullSha, looksBinary, normalizePath } from "./read-input.ts";

export interface BlobRead {
  /** At most `maxBytes` of the file. */
  content: Buffer;
  /** Full size in bytes. */
  size: number;
  binary: boolean;
  /** `content` is shorter than the file. */
  truncated: boolean;
}

/** @defaultValue 1 MiB — what the file view renders before it offers the raw file instead. */
export const DEFAULT_BLOB_MAX_BYTES = 1024 * 1024;

/**
 * The file `path` at commit `sha`, or null when there is no such file (missing, a directory or a
 * submodule). One `git cat-file --batch` process: a header with the size, then the bytes.
 */
export async function readBlob(
  dir: string,
  sha: string,
  path: string,
  opts: { maxBytes?: number } = {},
): Promise<BlobRead | null> {
  checkFullSha(sha);
  const p = normalizePath(path);
  if (p === "") return null;
  const maxBytes = opts.maxBytes ?? DEFAULT_BLOB_MAX_BYTES;
  // Header line is < 200 bytes; read it plus maxBytes (+1 to see that more follows).
  const r = await runGitCapped(["-C", dir, "cat-file", "--batch"], maxBytes + 256, `${sha}:${p}\n`);
  const nl = r.stdout.indexOf(10);
  const header = r.stdout.subarray(0, nl < 0 ? r.stdout.length : nl).toString("utf8");
  const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
  if (!m || m[1] !== "blob") return null;
  const size = Number(m[2]);
  const content = r.stdout.subarray(nl + 1, nl + 1 + Math.min(size, maxBytes));
  return { content, size, binary: looksBinary(content), truncated: content.length < size };
}

/** Size of the blob at `sha:path`, or null when it is not a file. */
export async function blobSize(dir: string, sha: string, path: string): Promise<number | null> {
  checkFullSha(sha);
  const p = normalizePath(path);
  if (p === "") return null;
  const c = await runGitCapped(["-C", dir, "cat-file", "--batch-check"], 512, `${sha}:${p}\n`);
  const m = /^[0-9a-f]+ blob (\d+)$/.exec(c.stdout.toString("utf8").trim());
  return m ? Number(m[1]) : null;
}

/**
 * The whole file as a web stream (pulled as the consumer reads; cancelling kills git). Call
 * `blobSize` first: this assumes the blob exists.
 */
export function streamBlob(dir: string, sha: string, path: string): ReadableStream<Uint8Array> {
  checkFullSha(sha);
  const p = normalizePath(path);
  const child = spawn("git", ["-C", dir, "cat-file", "blob", `${sha}:${p}`], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const stream = Readable.toWeb(child.stdout) as unknown as ReadableStream<Uint8Array>;
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel() {
      child.kill();
    },
  });
}
