/**
 * The OCI Distribution API (`/v2/…`) as one dispatcher behind a catch-all route: repository names
 * contain slashes, so the path is matched here from its end (`…/blobs/uploads/<uuid>`,
 * `…/blobs/<digest>`, `…/manifests/<reference>`, `…/tags/list`), as distribution's own router does.
 *
 * Auth: every request carries a Bearer token from `/jwt/auth` (see @minilab/core registry); the
 * token's grants are checked per operation (pull / push / delete). Without a token the answer is
 * 401 with a challenge naming the scope needed, which is how Docker learns where to get one.
 */
import { readRegistryToken } from "@minilab/core";
import { RegistryError, isRepositoryName } from "@minilab/registry";
import { getBlob, startUpload, uploadSession } from "./blobs.ts";
import { catalog, manifest, tagsList } from "./manifests.ts";
import { jsonReply, registryErrorResponse, type RegistryReply, type RegistryRequest } from "./respond.ts";

const UPLOAD = /^(.+)\/blobs\/uploads\/([^/]+)$/;
const UPLOADS = /^(.+)\/blobs\/uploads\/?$/;
const BLOB = /^(.+)\/blobs\/([^/]+)$/;
const MANIFEST = /^(.+)\/manifests\/([^/]+)$/;
const TAGS = /^(.+)\/tags\/list$/;

export async function handleRegistry(req: RegistryRequest): Promise<RegistryReply> {
  const head = req.method === "HEAD";
  let path: string;
  try {
    path = decodeURIComponent(req.url.pathname).replace(/^\/v2\/?/, "");
  } catch {
    return registryErrorResponse(new RegistryError("NAME_INVALID", "malformed path"), { head });
  }
  let scope: string | undefined;
  try {
    const claims = readRegistryToken(req.header("authorization"));
    if (path === "" || path === "/") {
      if (!claims) throw new RegistryError("UNAUTHORIZED", "authentication required");
      return jsonReply(200, {}, {}, head);
    }
    if (path === "_catalog") {
      scope = "registry:catalog:*";
      if (req.method !== "GET") throw new RegistryError("UNSUPPORTED", "method not allowed");
      return await catalog(req, claims);
    }
    let m: RegExpExecArray | null;
    if ((m = UPLOAD.exec(path))) {
      scope = `repository:${m[1]}:pull,push`;
      return await uploadSession(req, claims, m[1]!, m[2]!);
    }
    if ((m = UPLOADS.exec(path))) {
      scope = `repository:${m[1]}:pull,push`;
      if (req.method !== "POST") throw new RegistryError("UNSUPPORTED", "method not allowed");
      return await startUpload(req, claims, m[1]!);
    }
    if ((m = BLOB.exec(path))) {
      scope = `repository:${m[1]}:pull`;
      if (req.method !== "GET" && !head)
        throw new RegistryError("UNSUPPORTED", "blobs are deleted by garbage collection, not by the API");
      return await getBlob(req, claims, m[1]!, m[2]!, head);
    }
    if ((m = MANIFEST.exec(path))) {
      const action = req.method === "PUT" ? "pull,push" : req.method === "DELETE" ? "delete" : "pull";
      scope = `repository:${m[1]}:${action}`;
      return await manifest(req, claims, m[1]!, m[2]!);
    }
    if ((m = TAGS.exec(path))) {
      scope = `repository:${m[1]}:pull`;
      if (req.method !== "GET") throw new RegistryError("UNSUPPORTED", "method not allowed");
      return await tagsList(req, claims, m[1]!);
    }
    throw new RegistryError("NAME_UNKNOWN", "no such registry endpoint");
  } catch (e) {
    // The scope goes into a header: only for a valid name (a path may decode to anything).
    const named = scope?.split(":")[1];
    const safe = scope && (named === "catalog" || (named !== undefined && isRepositoryName(named)));
    return registryErrorResponse(e, { ...(safe ? { scope } : {}), head });
  }
}
