import { readiness } from "../../../server/health";

export const dynamic = "force-dynamic";

/** GET /-/readiness — Postgres and Redis reachable; 503 naming the failing check otherwise. */
export async function GET(): Promise<Response> {
  const checks = await readiness();
  const failed = Object.entries(checks)
    .filter(([, r]) => r.status !== "ok")
    .map(([name]) => name);
  return Response.json(
    { status: failed.length ? "failed" : "ok", ...(failed.length ? { failed } : {}), checks },
    { status: failed.length ? 503 : 200 },
  );
}
