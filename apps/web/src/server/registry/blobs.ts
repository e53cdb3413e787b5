/**
 * Blob endpoints: `HEAD|GET /v2/<name>/blobs/<digest>` and the upload session endpoints
 * (`POST /v2/<name>/blobs/uploads/` with `?digest=` (monolithic) or `?mount=&from=` (cross-repository
 * mount), then `PATCH`… and `PUT ?digest=` on `/v2/<name>/blobs/uploads/<uuid>`).
 */
import {
  appendBlobUpload,
  cancelBlobUpload,
  finishBlobUpload,
  findBlobUpload,
  mountBlob,
  registryStore,
  requireRegistryAccess,
  startBlobUpload,
  statRepositoryBlob,
} from "@minilab/core";
import { getDb } from "@minilab/db";
import { RegistryError, tokenAllows, type BlobFile, type RegistryTokenClaims } from "@minilab/registry";
import { bodySource, reply, uploadRange, type RegistryReply, type RegistryRequest } from "./respond.ts";

const uploadHeaders = (name: string, id: string, size: number): Record<string, string> => ({
  Location: `/v2/${name}/blobs/uploads/${id}`,
  Range: uploadRange(size),
  "Docker-Upload-UUID": id,
  "Content-Length": "0",
});

const createdBlob = (name: string, digest: string): RegistryReply =>
  reply(201, {
    Location: `/v2/${name}/blobs/${digest}`,
    "Docker-Content-Digest": digest,
    "Content-Length": "0",
  });

/**
 * The blob file, opened before the headers go out: a blob garbage-collected since the lookup is a
 * 404, not a truncated 200.
 */
async function openBlobFile(digest: string, range?: { start: number; end: number }): Promise<BlobFile> {
  const file = await registryStore().openFile(digest, range);
  if (!file) throw new RegistryError("BLOB_UNKNOWN", "blob unknown to registry", { detail: digest });
  return file;
}

export async function getBlob(
  req: RegistryRequest,
  claims: RegistryTokenClaims | null,
  name: string,
  digest: string,
  head: boolean,
): Promise<RegistryReply> {
  requireRegistryAccess(claims, name, "pull");
  const size = await statRepositoryBlob(getDb(), name, digest);
  const base = {
    "Docker-Content-Digest": digest,
    "Content-Type": "application/octet-stream",
    "Accept-Ranges": "bytes",
    "Cache-Control": "max-age=31536000",
    ETag: `"${digest}"`,
  };
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.header("range") ?? "");
  if (range && !head) {
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size)
      return reply(416, { "Content-Range": `bytes */${size}`, "Content-Length": "0" });
    return reply(
      206,
      {
        ...base,
        "Content-Range": `bytes ${start}-${end}/${size}`,
        "Content-Length": String(end - start + 1),
      },
      await openBlobFile(digest, { start, end }),
    );
  }
  if (head || size === 0) return reply(200, { ...base, "Content-Length": String(size) }, null);
  return reply(200, { ...base, "Content-Length": String(size) }, await openBlobFile(digest));
}

export async function startUpload(
  req: RegistryRequest,
  claims: RegistryTokenClaims | null,
  name: string,
): Promise<RegistryReply> {
  requireRegistryAccess(claims, name, "push");
  const db = getDb();
  const q = req.url.searchParams;
  const mount = q.get("mount");
  const from = q.get("from");
  // A mount needs pull on the source too; without it (or without the blob there) fall back to an upload.
  if (mount && from && claims && tokenAllows(claims, "repository", from, "pull")) {
    if (await mountBlob(db, name, from, mount)) return createdBlob(name, mount);
  }
  const upload = await startBlobUpload(db, name);
  const digest = q.get("digest");
  if (digest) {
    const done = await finishBlobUpload(db, upload, digest, bodySource(req));
    return createdBlob(name, done.digest);
  }
  return reply(202, uploadHeaders(name, upload.id, 0));
}

export async function uploadSession(
  req: RegistryRequest,
  claims: RegistryTokenClaims | null,
  name: string,
  id: string,
): Promise<RegistryReply> {
  requireRegistryAccess(claims, name, "push");
  const upload = await findBlobUpload(name, id);
  switch (req.method) {
    case "GET":
      return reply(204, uploadHeaders(name, id, upload.size));
    case "PATCH": {
      const size = await appendBlobUpload(upload, bodySource(req), contentRangeStart(req));
      return reply(202, uploadHeaders(name, id, size));
    }
    case "PUT": {
      const digest = req.url.searchParams.get("digest");
      if (!digest) throw new RegistryError("DIGEST_INVALID", "digest query parameter is required");
      const start = contentRangeStart(req);
      if (start !== undefined && start !== upload.size)
        throw new RegistryError("RANGE_INVALID", "chunk does not continue the upload", {
          detail: { offset: upload.size },
        });
      const done = await finishBlobUpload(getDb(), upload, digest, bodySource(req));
      return createdBlob(name, done.digest);
    }
    case "DELETE":
      await cancelBlobUpload(upload);
      return reply(204, { "Content-Length": "0" });
    default:
      throw new RegistryError("UNSUPPORTED", `${req.method} is not supported here`);
  }
}

/** Start offset of a `Content-Range: <start>-<end>` chunk header, if given. */
function contentRangeStart(req: RegistryRequest): number | undefined {
  const h = req.header("content-range");
  if (!h) return undefined;
  const m = /^(?:bytes )?(\d+)-(\d+)$/.exec(h.trim());
  if (!m) throw new RegistryError("RANGE_INVALID", "malformed Content-Range", { detail: { offset: 0 } });
  return Number(m[1]);
}
