export const dynamic = "force-dynamic";

/** GET /-/liveness — the process can answer requests; dependencies are not checked here. */
export function GET(): Response {
  return Response.json({ status: "ok" });
}
