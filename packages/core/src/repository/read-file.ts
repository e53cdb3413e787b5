import { blobSize, readBlob, streamBlob, type BlobRead } from "@minilab/git";
import { gitRead, notFound, readableRepoDir, type RepoReadOptions } from "./access.ts";

/** A file for display, at most `maxBytes` of it. Missing or not a file → not_found. */
export async function readFile(
  opts: RepoReadOptions & { sha: string; path: string; maxBytes?: number },
): Promise<BlobRead> {
  const dir = await readableRepoDir(opts);
  const blob = await gitRead(() =>
    readBlob(dir, opts.sha, opts.path, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
  );
  if (!blob) throw notFound("file");
  return blob;
}

/** A whole file as a stream for raw download, with its size and whether it looks binary. */
export async function openRawFile(
  opts: RepoReadOptions & { sha: string; path: string },
): Promise<{ size: number; binary: boolean; stream: ReadableStream<Uint8Array> }> {
  const dir = await readableRepoDir(opts);
  const head = await gitRead(() => readBlob(dir, opts.sha, opts.path, { maxBytes: 8000 }));
  const size = head ? await blobSize(dir, opts.sha, opts.path) : null;
  if (!head || size === null) throw notFound("file");
  return { size, binary: head.binary, stream: streamBlob(dir, opts.sha, opts.path) };
}
