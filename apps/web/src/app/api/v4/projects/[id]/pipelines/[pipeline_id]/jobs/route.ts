import { AppError, getPipelineWithJobs, toApiJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId, apiProject, apiReader } from "../../../../../../../../server/api-auth";
import { handle, json } from "../../../../../../../../server/http";
import { pageRequest, paginationHeaders } from "../../../../../../../../server/pagination";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; pipeline_id: string }> };

/** GET /api/v4/projects/:id/pipelines/:pipeline_id/jobs — in stage order, paginated like GitLab. */
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
    const pr = pageRequest(req);
    const summary = {
      id: pipeline.id,
      iid: pipeline.iid,
      ref: pipeline.ref,
      sha: pipeline.sha,
      status: pipeline.status,
      tag: pipeline.tag,
    };
    const page = pipeline.jobs.slice((pr.page - 1) * pr.perPage, pr.page * pr.perPage);
    const body = page.map((j) => toApiJob({ ...j, pipeline: summary }, project));
    return json(body, { headers: paginationHeaders(req, pr, pipeline.jobs.length) });
  });
}
