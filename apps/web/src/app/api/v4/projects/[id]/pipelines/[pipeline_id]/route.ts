import { AppError, getPipelineWithJobs, toApiPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId, apiProject, apiReader } from "../../../../../../../server/api-auth";
import { handle, json } from "../../../../../../../server/http";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; pipeline_id: string }> };

/** GET /api/v4/projects/:id/pipelines/:pipeline_id */
export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id, pipeline_id } = await params;
    const project = await apiProject(await apiReader(req), id);
    const pipeline = await getPipelineWithJobs({
      db: getDb(),
      projectId: project.id,
      pipelineId: apiId(pipeline_id, "Pipeline"),
    });
    if (!pipeline) throw new AppError("not_found", "404 Pipeline Not Found");
    return json(toApiPipeline(pipeline, project));
  });
}
