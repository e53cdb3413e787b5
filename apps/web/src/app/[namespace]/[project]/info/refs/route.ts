import { gitInfoRefs, type GitRouteParams } from "../../../../../server/git-http.ts";

// Git smart HTTP must never be cached or prerendered, and spawns `git`: Node runtime only.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(req: Request, ctx: { params: Promise<GitRouteParams> }): Promise<Response> {
  return gitInfoRefs(req, ctx.params);
}
