/**
 * Runner reports a job's end (see @minilab/contracts runner-api.ts, step 4). Usually answered by
 * the Node dispatcher before Next (server/runner-api-node.ts); same handler (server/runner-api.ts).
 */
import { fetchResponse, fetchRunnerRequest, finishReply } from "../../../../../server/runner-api.ts";

export const dynamic = "force-dynamic";

export async function PUT(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return fetchResponse(await finishReply((await ctx.params).id, fetchRunnerRequest(req)));
}
