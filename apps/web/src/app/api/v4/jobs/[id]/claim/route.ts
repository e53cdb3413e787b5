/**
 * Runner claims a dispatched job (see @minilab/contracts runner-api.ts, step 2). Usually answered by
 * the Node dispatcher before Next (server/runner-api-node.ts); same handler (server/runner-api.ts).
 */
import { claimReply, fetchResponse, fetchRunnerRequest } from "../../../../../../server/runner-api.ts";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return fetchResponse(await claimReply((await ctx.params).id, fetchRunnerRequest(req)));
}
