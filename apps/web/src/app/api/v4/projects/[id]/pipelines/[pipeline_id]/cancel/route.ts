import { ACCESS_LEVELS, cancelPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";
import { apiPipelineBody } from "../../../../../../../../server/job-controls-api";

export const dynamic = "force-dynamic";

/**
 * POST /api/v4/projects/:id/pipelines/:pipeline_id/cancel — developer+. 201 with the pipeline; a
 * finished pipeline is answered unchanged, as GitLab.
 */
export const POST = projectRoute<{ id: string; pipeline_id: string }>(
  async ({ project, user, params }) => {
    const pipelineId = apiId(params.pipeline_id, "Pipeline");
    await cancelPipeline({ db: getDb(), pipelineId, userId: user!.id, projectId: project.id });
    return json(await apiPipelineBody(project, pipelineId), { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.developer },
);
