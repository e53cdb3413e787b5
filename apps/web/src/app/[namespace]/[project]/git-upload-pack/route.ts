import { gitServiceRpc, type GitRouteParams } from "../../../../server/git-http.ts";

// Streams packs through `git upload-pack --stateless-rpc`: never cached, Node runtime only.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function POST(req: Request, ctx: { params: Promise<GitRouteParams> }): Promise<Response> {
  return gitServiceRpc(req, ctx.params, "git-upload-pack");
}
