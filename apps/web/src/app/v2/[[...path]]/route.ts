import { handleRegistry } from "../../../server/registry/handle-registry.ts";

// The container registry API streams blobs both ways: never cached, Node runtime only.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = handleRegistry;
export const HEAD = handleRegistry;
export const POST = handleRegistry;
export const PATCH = handleRegistry;
export const PUT = handleRegistry;
export const DELETE = handleRegistry;
