/**
 * The registry API (`/v2/…`) answered straight from Node's HTTP server, before Next's router sees
 * the request — as GitLab puts its registry beside the Rails app rather than inside it. Measured
 * (BENCHMARKS.md, container registry): through Next's app-route path every upload chunk was copied
 * into a web stream and every download chunk crossed `pipeTo` → `res.write`, and the garbage of
 * those copies made the GC the largest single cost of a `docker push`; Next's per-request routing
 * added milliseconds to each of the many small requests of a push or pull.
 *
 * Here the same handlers (handle-registry.ts) get the `IncomingMessage` itself as the upload body
 * (read by `data` events in the blob store) and blob files are written to the socket from two
 * reused buffers (`writeFileRange`). Everything else — auth, digests, errors — is the handlers'.
 *
 * Installed once per process from instrumentation.ts as a route of the Node dispatcher
 * (../node-routes.ts) for requests whose path is `/v2` or below; every other request goes on. The
 * Next route `app/v2/[[...path]]` stays as a fallback with identical behaviour.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { writeFileRange } from "@minilab/registry";
import { nodeHeader, registerNodeRoute } from "../node-routes.ts";
import { handleRegistry } from "./handle-registry.ts";
import { isBlobFile, type RegistryReply, type RegistryRequest } from "./respond.ts";

/** Whether a request target (`req.url`: path and query) belongs to the registry API. */
export const isRegistryPath = (url: string | undefined): boolean =>
  url !== undefined && (url === "/v2" || url.startsWith("/v2/") || url.startsWith("/v2?"));

export function installRegistryServer(): void {
  registerNodeRoute({ name: "registry", match: (req) => isRegistryPath(req.url), serve: serveRegistry });
}

function toRegistryRequest(req: IncomingMessage): RegistryRequest {
  const method = req.method ?? "GET";
  return {
    method,
    // Only the path and query are read; the host is never trusted for anything.
    url: new URL(req.url ?? "/", "http://registry.invalid"),
    header: (name) => nodeHeader(req, name),
    body: method === "GET" || method === "HEAD" ? null : req,
  };
}

export async function serveRegistry(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await sendReply(req, res, await handleRegistry(toRegistryRequest(req)));
  } catch (e) {
    // handleRegistry answers every error itself; this is a bug, not a client mistake.
    console.error(e);
    if (!res.headersSent) res.writeHead(500, { "Content-Length": "0" }).end();
    else res.destroy();
  }
}

async function sendReply(req: IncomingMessage, res: ServerResponse, r: RegistryReply): Promise<void> {
  const body = req.method === "HEAD" ? null : r.body;
  if (!isBlobFile(body)) {
    if (isBlobFile(r.body)) await r.body.handle.close();
    res.writeHead(r.status, r.headers);
    res.end(body ?? undefined);
    return;
  }
  try {
    res.writeHead(r.status, r.headers);
  } catch (e) {
    await body.handle.close();
    throw e;
  }
  try {
    await writeFileRange(body.handle, body.start, body.end, res);
    res.end();
  } catch (e) {
    // The client went away or the file broke off: the length promised cannot be kept.
    if (!isClientGone(e)) console.error(e);
    res.destroy();
  } finally {
    await body.handle.close().catch(() => undefined);
  }
}

function isClientGone(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}
