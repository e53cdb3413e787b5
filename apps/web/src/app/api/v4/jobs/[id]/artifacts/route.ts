/**
 * Runner API for artifacts (see @minilab/contracts artifacts.ts): POST uploads the job's own file
 * (its JOB-TOKEN), GET downloads another job's archive for a running job of the same project.
 */
import { ARTIFACT_TYPES, JOB_TOKEN_HEADER, type ArtifactType } from "@minilab/contracts";
import { AppError, downloadArtifactsForJob, parseJobId, uploadJobArtifact } from "@minilab/core";
import { getDb } from "@minilab/db";
import { fileResponse } from "../../../../../../server/artifact-response";
import { handle, json } from "../../../../../../server/http";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const jobId = parseJobId((await ctx.params).id);
    const q = new URL(req.url).searchParams;
    const type = q.get("artifact_type") ?? "archive";
    if (!(ARTIFACT_TYPES as readonly string[]).includes(type))
      throw new AppError("invalid_input", `artifact_type must be one of ${ARTIFACT_TYPES.join(", ")}`);
    const length = req.headers.get("content-length");
    const r = await uploadJobArtifact({
      db: getDb(),
      jobId,
      jobToken: req.headers.get(JOB_TOKEN_HEADER) ?? "",
      type: type as ArtifactType,
      // Node's web ReadableStream is async-iterable; the DOM typing does not say so.
      body: req.body as unknown as AsyncIterable<Uint8Array> | null,
      contentLength: length && /^\d+$/.test(length) ? Number(length) : null,
      expireIn: q.get("expire_in"),
      name: q.get("name"),
    });
    return json(r, { status: 201 });
  });
}

export async function GET(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const jobId = parseJobId((await ctx.params).id);
    const file = await downloadArtifactsForJob({
      db: getDb(),
      jobId,
      jobToken: req.headers.get(JOB_TOKEN_HEADER) ?? "",
    });
    return fileResponse(file.path, file.filename);
  });
}
