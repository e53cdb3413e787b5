import { ACCESS_LEVELS, deletePipeline, toApiPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../server/api-auth";
import { json } from "../../../../../../../server/http";
import { projectRoute } from "../../../../../../../server/api-route";
import { projectPipeline } from "../../../../../../../server/api-jobs";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/pipelines/:pipeline_id */
export const GET = projectRoute<{ id: string; pipeline_id: string }>(
  async ({ project, params }) =>
    json(toApiPipeline(await projectPipeline(project, params.pipeline_id), project)),
  { pipelines: true },
);

/**
 * DELETE /api/v4/projects/:id/pipelines/:pipeline_id — maintainer+; the pipeline, its jobs and logs
 * go. 204, as GitLab.
 */
export const DELETE = projectRoute<{ id: string; pipeline_id: string }>(
  async ({ project, user, params }) => {
    const pipelineId = apiId(params.pipeline_id, "Pipeline");
    await deletePipeline({ db: getDb(), pipelineId, userId: user!.id, projectId: project.id });
    return new Response(null, { status: 204 });
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);
