import { assertNotPipelineHook, runTrigger, toApiPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiHandle } from "../../../../../../../../../server/api-route";
import { json } from "../../../../../../../../../server/http";
import {
  readBodyText,
  TRIGGER_PAYLOAD_MAX_BYTES,
  triggerVariables,
} from "../../../../../../../../../server/trigger-params";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; ref: string }> };

/**
 * POST /api/v4/projects/:id/ref/:ref/trigger/pipeline?token=… — the form for other systems' webhooks:
 * the token is in the query string, and the raw request body (any content type, up to 64 KiB) reaches
 * jobs as the file variable TRIGGER_PAYLOAD.
 */
export async function POST(req: Request, { params }: Ctx): Promise<Response> {
  return apiHandle(async () => {
    const { id, ref } = await params;
    assertNotPipelineHook(req.headers.get("x-gitlab-event"));
    const query = Object.fromEntries(new URL(req.url).searchParams);
    const payload = await readBodyText(req, TRIGGER_PAYLOAD_MAX_BYTES);
    const { pipeline, project } = await runTrigger({
      db: getDb(),
      projectRef: id,
      token: query["token"] ?? "",
      ref: safeDecode(ref),
      variables: triggerVariables(query),
      payload,
    });
    return json(toApiPipeline(pipeline, project), { status: 201 });
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
