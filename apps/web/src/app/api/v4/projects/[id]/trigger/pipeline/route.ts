import { assertNotPipelineHook, runTrigger, toApiPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { readParams } from "../../../../../../../server/api-params";
import { apiHandle } from "../../../../../../../server/api-route";
import { json } from "../../../../../../../server/http";
import { textParam, triggerVariables } from "../../../../../../../server/trigger-params";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * POST /api/v4/projects/:id/trigger/pipeline — `token`, `ref`, `variables[KEY]=value` from a form,
 * multipart, query string or JSON body. Authenticated by the trigger token alone. 201 with the pipeline.
 */
export async function POST(req: Request, { params }: Ctx): Promise<Response> {
  return apiHandle(async () => {
    const { id } = await params;
    assertNotPipelineHook(req.headers.get("x-gitlab-event"));
    const p = await readParams(req);
    const { pipeline, project } = await runTrigger({
      db: getDb(),
      projectRef: id,
      token: textParam(p, "token"),
      ref: textParam(p, "ref"),
      variables: triggerVariables(p),
    });
    return json(toApiPipeline(pipeline, project), { status: 201 });
  });
}
