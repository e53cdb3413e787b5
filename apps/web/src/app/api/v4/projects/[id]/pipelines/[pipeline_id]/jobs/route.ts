import { listProjectJobs, pendingReasons, toApiJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../../server/api-route";
import { jobScopes, projectPipeline } from "../../../../../../../../server/api-jobs";
import { pageRequest, paginatedJson } from "../../../../../../../../server/pagination";

export const dynamic = "force-dynamic";

/**
 * GET /api/v4/projects/:id/pipelines/:pipeline_id/jobs — in stage order, `scope[]` filters by
 * status; retried attempts only with `include_retried=true`, as GitLab.
 */
export const GET = projectRoute<{ id: string; pipeline_id: string }>(
  async ({ req, project, params, query }) => {
    const pipeline = await projectPipeline(project, params.pipeline_id);
    const statuses = jobScopes(req);
    const pr = pageRequest(req);
    const { items, total } = await listProjectJobs({
      db: getDb(),
      projectId: project.id,
      pipelineId: pipeline.id,
      statuses,
      includeRetried: query.get("include_retried") === "true",
      order: "stage",
      ...pr,
    });
    const reasons = await pendingReasons({ db: getDb(), jobIds: items.map((j) => j.id) });
    return paginatedJson(
      req,
      pr,
      items.map((j) => toApiJob({ ...j, pendingReason: reasons.get(j.id)?.message ?? null }, project)),
      total,
    );
  },
  { builds: true },
);
