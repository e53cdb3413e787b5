/**
 * Streams stored artifacts to the client. Files are always attachments with `nosniff`: an artifact is
 * arbitrary bytes from a job, and serving its HTML inline on this origin would be stored XSS.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "@minilab/core";

export function attachmentHeaders(filename: string, type = "application/octet-stream"): Headers {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return new Headers({
    "Content-Type": type,
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
  });
}

/** The whole stored file; a row whose file vanished (expiry race) is a 404, not a 500. */
export async function fileResponse(
  file: string,
  filename: string,
  type = "application/zip",
): Promise<Response> {
  const st = await stat(file).catch(() => null);
  if (!st) throw new AppError("not_found", "404 Artifacts Not Found");
  const headers = attachmentHeaders(filename, type);
  headers.set("Content-Length", String(st.size));
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, { headers });
}

export function entryResponse(stream: Readable, entryPath: string, size: number): Response {
  const headers = attachmentHeaders(path.posix.basename(entryPath));
  headers.set("Content-Length", String(size));
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { headers });
}
