/** Runner reports a job's end (see @minilab/contracts runner-api.ts, step 4). */
import { JOB_TOKEN_HEADER, JobFinish } from "@minilab/contracts";
import { finishJob, parseJobId } from "@minilab/core";
import { getDb } from "@minilab/db";
import { handle, json, parseInput, readJson } from "../../../../../server/http.ts";

export const dynamic = "force-dynamic";

export async function PUT(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const jobId = parseJobId((await ctx.params).id);
    const jobToken = req.headers.get(JOB_TOKEN_HEADER) ?? "";
    const body = parseInput(JobFinish, await readJson(req));
    const r = await finishJob({
      db: getDb(),
      jobId,
      jobToken,
      state: body.state,
      exitCode: body.exitCode ?? null,
      ...(body.failureReason ? { failureReason: body.failureReason } : {}),
      ...(body.trace
        ? { finalLog: { offset: body.trace.offset, data: Buffer.from(body.trace.content, "base64") } }
        : {}),
    });
    return json(r);
  });
}
