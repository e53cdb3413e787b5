/** Manifest, tags-list and catalog endpoints of the registry API. */
import {
  deleteManifest,
  getManifest,
  listRegistryCatalog,
  listTags,
  putManifest,
  requireRegistryAccess,
} from "@minilab/core";
import { getDb } from "@minilab/db";
import {
  MAX_MANIFEST_BYTES,
  RegistryError,
  acceptedManifestTypes,
  checkPlatformManifest,
  negotiateManifest,
  parseReference,
  type RegistryTokenClaims,
} from "@minilab/registry";
import { jsonReply, readLimited, reply, type RegistryReply, type RegistryRequest } from "./respond.ts";

export async function manifest(
  req: RegistryRequest,
  claims: RegistryTokenClaims | null,
  name: string,
  reference: string,
): Promise<RegistryReply> {
  const db = getDb();
  switch (req.method) {
    case "GET":
    case "HEAD": {
      requireRegistryAccess(claims, name, "pull");
      const accepted = acceptedManifestTypes([req.header("accept") ?? ""]);
      let m = await getManifest(db, name, reference);
      const choice = negotiateManifest(m, accepted, parseReference(reference).kind === "tag");
      if ("platform" in choice) {
        m = await getManifest(db, name, choice.platform);
        checkPlatformManifest(m.mediaType, accepted);
      }
      return reply(
        200,
        {
          "Content-Type": m.mediaType,
          "Content-Length": String(m.content.byteLength),
          "Docker-Content-Digest": m.digest,
          ETag: `"${m.digest}"`,
        },
        req.method === "HEAD" ? null : m.content,
      );
    }
    case "PUT": {
      requireRegistryAccess(claims, name, "push");
      const bytes = await readLimited(req, MAX_MANIFEST_BYTES, "MANIFEST_INVALID");
      const { digest } = await putManifest({
        db,
        name,
        reference,
        bytes,
        contentType: req.header("content-type"),
        claims: claims!,
      });
      return reply(201, {
        Location: `/v2/${name}/manifests/${digest}`,
        "Docker-Content-Digest": digest,
        "Content-Length": "0",
      });
    }
    case "DELETE":
      requireRegistryAccess(claims, name, "delete");
      await deleteManifest(db, name, reference);
      return reply(202, { "Content-Length": "0" });
    default:
      throw new RegistryError("UNSUPPORTED", `${req.method} is not supported here`);
  }
}

/** `n` and `last` of a paginated list; `n` defaults to 100 and is capped at 1000. */
function page(req: RegistryRequest): { n: number; last: string | null } {
  const q = req.url.searchParams;
  const raw = q.get("n");
  const n = raw === null || raw === "" ? 100 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RegistryError("BLOB_UPLOAD_INVALID", "n must be a non-negative integer");
  return { n: Math.min(n, 1000), last: q.get("last") };
}

function link(path: string, n: number, last: string | undefined): Record<string, string> {
  if (last === undefined) return {};
  return { Link: `<${path}?n=${n}&last=${encodeURIComponent(last)}>; rel="next"` };
}

export async function tagsList(
  req: RegistryRequest,
  claims: RegistryTokenClaims | null,
  name: string,
): Promise<RegistryReply> {
  requireRegistryAccess(claims, name, "pull");
  const p = page(req);
  const { tags, more } = await listTags(getDb(), name, p);
  return jsonReply(200, { name, tags }, more ? link(`/v2/${name}/tags/list`, p.n, tags.at(-1)) : {});
}

export async function catalog(
  req: RegistryRequest,
  claims: RegistryTokenClaims | null,
): Promise<RegistryReply> {
  if (!claims) throw new RegistryError("UNAUTHORIZED", "authentication required");
  const p = page(req);
  const { repositories, more } = await listRegistryCatalog(getDb(), claims, p);
  return jsonReply(200, { repositories }, more ? link("/v2/_catalog", p.n, repositories.at(-1)) : {});
}
