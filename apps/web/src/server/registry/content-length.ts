/**
 * Next.js drops `Content-Length` from every route handler response (send-response.ts strips it
 * because a fetched body may have been decoded). The registry API needs it: Docker reads a blob's
 * size from `Content-Length` of `HEAD /v2/<name>/blobs/<digest>` and refuses a push or pull
 * without it. The registry's own Node handler (node-server.ts) sets it directly; on the fallback
 * route, registry responses therefore also carry the length in {@link LENGTH_HEADER}, and
 * this hook, installed once at server start, turns that header back into `Content-Length` when Next
 * copies headers onto the Node response. Nothing else is affected: no other code sets that header.
 */
import { ServerResponse } from "node:http";

export const LENGTH_HEADER = "x-minilab-content-length";

let installed = false;

export function installContentLengthPassthrough(): void {
  if (installed) return;
  installed = true;
  // Always invoked with .call(this) below, so the unbound reference is intended.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const setHeader = ServerResponse.prototype.setHeader;
  ServerResponse.prototype.setHeader = function (this: ServerResponse, name, value) {
    if (typeof name === "string" && name.toLowerCase() === LENGTH_HEADER)
      return setHeader.call(this, "Content-Length", value);
    return setHeader.call(this, name, value);
  } as typeof setHeader;
}
