import { ACCESS_LEVELS, isAppError, retryPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";
import { apiPipelineBody, assertPipelineInProject } from "../../../../../../../../server/job-controls-api";

export const dynamic = "force-dynamic";

/**
 * POST /api/v4/projects/:id/pipelines/:pipeline_id/retry — developer+. Retries the failed and
 * canceled jobs; 201 with the pipeline (unchanged when there was nothing to retry, as GitLab).
 */
export const POST = projectRoute<{ id: string; pipeline_id: string }>(
  async ({ project, user, params }) => {
    const pipelineId = apiId(params.pipeline_id, "Pipeline");
    await assertPipelineInProject(project, pipelineId);
    try {
      await retryPipeline({ db: getDb(), pipelineId, userId: user!.id });
    } catch (e) {
      if (!(isAppError(e) && e.code === "conflict")) throw e;
    }
    return json(await apiPipelineBody(project, pipelineId), { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.developer },
);
