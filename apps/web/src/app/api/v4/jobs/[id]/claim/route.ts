/** Runner claims a dispatched job (see @minilab/contracts runner-api.ts, step 2). */
import { ClaimRequest } from "@minilab/contracts";
import { claimJob, parseJobId } from "@minilab/core";
import { getDb } from "@minilab/db";
import { handle, json, parseInput, readJson } from "../../../../../../server/http.ts";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const jobId = parseJobId((await ctx.params).id);
    const body = parseInput(ClaimRequest, await readJson(req));
    const spec = await claimJob({ db: getDb(), runnerToken: body.token, jobId, info: body.info });
    return json(spec, { status: 201 });
  });
}
