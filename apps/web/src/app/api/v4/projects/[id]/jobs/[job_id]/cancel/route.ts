import { ACCESS_LEVELS, cancelJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";
import { apiJobBody } from "../../../../../../../../server/job-controls-api";

export const dynamic = "force-dynamic";

/**
 * POST /api/v4/projects/:id/jobs/:job_id/cancel — developer+. 201 with the job (`canceled`, or
 * `canceling` while its runner stops it); a finished job is 422, as GitLab.
 */
export const POST = projectRoute<{ id: string; job_id: string }>(
  async ({ project, user, params }) => {
    const jobId = apiId(params.job_id, "Job");
    await cancelJob({ db: getDb(), jobId, userId: user!.id, projectId: project.id });
    return json(await apiJobBody(project, jobId), { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.developer },
);
