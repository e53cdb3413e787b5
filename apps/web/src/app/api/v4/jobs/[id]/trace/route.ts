/**
 * Runner log upload (see @minilab/contracts runner-api.ts, step 3): `Content-Range: <start>-<end>`,
 * raw bytes as body; answers 202 with the acknowledged `Range`, or 416 with it when there is a gap.
 * Usually answered by the Node dispatcher before Next (server/runner-api-node.ts); same handler
 * (server/runner-api.ts).
 */
import { fetchResponse, fetchRunnerRequest, traceReply } from "../../../../../../server/runner-api.ts";

export const dynamic = "force-dynamic";

export async function PATCH(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return fetchResponse(await traceReply((await ctx.params).id, fetchRunnerRequest(req)));
}
