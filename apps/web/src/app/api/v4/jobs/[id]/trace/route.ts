/**
 * Runner log upload (see @minilab/contracts runner-api.ts, step 3): `Content-Range: <start>-<end>`,
 * raw bytes as body; answers 202 with the acknowledged `Range`, or 416 with it when there is a gap.
 */
import { JOB_STATUS_HEADER, JOB_TOKEN_HEADER, parseContentRange } from "@minilab/contracts";
import { AppError, appendJobLog, isAppError, parseJobId } from "@minilab/core";
import { getDb } from "@minilab/db";
import { handle } from "../../../../../../server/http.ts";

export const dynamic = "force-dynamic";

/** Larger uploads are refused before buffering; runners send small batches. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

export async function PATCH(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const jobId = parseJobId((await ctx.params).id);
    const jobToken = req.headers.get(JOB_TOKEN_HEADER) ?? "";
    if (Number(req.headers.get("content-length") ?? 0) > MAX_CHUNK_BYTES)
      throw new AppError("too_large", "Log chunk too large");
    const data = Buffer.from(await req.arrayBuffer());
    if (data.length > MAX_CHUNK_BYTES) throw new AppError("too_large", "Log chunk too large");
    const rangeHeader = req.headers.get("content-range");
    const range = parseContentRange(rangeHeader);
    // A heartbeat may omit Content-Range; bytes may not, and must match the range they claim.
    if (data.length > 0 || rangeHeader !== null) {
      if (!range || range.end - range.start !== data.length) {
        throw new AppError(
          "invalid_input",
          "Content-Range must be <start>-<end> with end - start = body length",
        );
      }
    }
    try {
      const r = await appendJobLog({ db: getDb(), jobId, jobToken, start: range?.start ?? 0, data });
      return new Response(null, {
        status: 202,
        headers: { Range: `0-${r.acked}`, [JOB_STATUS_HEADER]: r.status },
      });
    } catch (e) {
      const acked = isAppError(e) && e.code === "range_mismatch" ? e.details?.["acked"] : undefined;
      if (typeof acked !== "number") throw e;
      return Response.json(
        { message: e instanceof Error ? e.message : "", error: "range_mismatch", acked },
        { status: 416, headers: { Range: `0-${acked}` } },
      );
    }
  });
}
