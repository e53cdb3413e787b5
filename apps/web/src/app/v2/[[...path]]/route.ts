import { handleRegistry } from "../../../server/registry/handle-registry.ts";
import { fromWebRequest, toResponse } from "../../../server/registry/respond.ts";

// The container registry API streams blobs both ways: never cached, Node runtime only.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Fallback only: in a running server `/v2/…` is answered before Next sees it, by the registry's own
 * Node handler (server/registry/node-server.ts, installed in instrumentation.ts). This route serves
 * the same handlers should a request reach Next anyway (e.g. one that arrived before the hook).
 */
async function route(req: Request): Promise<Response> {
  return toResponse(await handleRegistry(fromWebRequest(req)));
}

export const GET = route;
export const HEAD = route;
export const POST = route;
export const PATCH = route;
export const PUT = route;
export const DELETE = route;
