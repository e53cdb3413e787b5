import { ACCESS_LEVELS } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";
import { assertPipelineInProject } from "../../../../../../../../server/job-controls-api";

export const dynamic = "force-dynamic";

/**
 * GET /api/v4/projects/:id/pipelines/:pipeline_id/variables — the variables the pipeline was run
 * with (web form, API, trigger, schedule), GitLab's `[{ key, value, variable_type }]`. Developer+,
 * as GitLab: they may hold values reporters must not see.
 */
export const GET = projectRoute<{ id: string; pipeline_id: string }>(
  async ({ project, params }) => {
    const pipelineId = apiId(params.pipeline_id, "Pipeline");
    await assertPipelineInProject(project, pipelineId);
    const { variables, fileVariables } = await getDb().pipeline.findUniqueOrThrow({
      where: { id: pipelineId },
      select: { variables: true, fileVariables: true },
    });
    const entries =
      typeof variables === "object" && variables !== null && !Array.isArray(variables)
        ? Object.entries(variables)
        : [];
    return json(
      entries.map(([key, value]) => ({
        key,
        value: typeof value === "string" ? value : JSON.stringify(value),
        variable_type: fileVariables.includes(key) ? "file" : "env_var",
      })),
    );
  },
  { minLevel: ACCESS_LEVELS.developer },
);
