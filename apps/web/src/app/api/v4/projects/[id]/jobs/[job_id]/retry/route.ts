import { ACCESS_LEVELS, isAppError, retryJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json } from "../../../../../../../../server/http";
import { apiJobBody, jobStatusInProject } from "../../../../../../../../server/job-controls-api";

export const dynamic = "force-dynamic";

/**
 * POST /api/v4/projects/:id/jobs/:job_id/retry — developer+. 201 with the new attempt (a new job id,
 * as GitLab); a job that cannot be retried (running, already retried) is GitLab's 403.
 */
export const POST = projectRoute<{ id: string; job_id: string }>(
  async ({ project, user, params }) => {
    const jobId = apiId(params.job_id, "Job");
    await jobStatusInProject(project, jobId);
    try {
      const next = await retryJob({ db: getDb(), jobId, userId: user!.id });
      return json(await apiJobBody(project, next.id), { status: 201 });
    } catch (e) {
      if (isAppError(e) && e.code === "conflict")
        return Response.json({ message: "403 Forbidden - Job is not retryable" }, { status: 403 });
      throw e;
    }
  },
  { minLevel: ACCESS_LEVELS.developer },
);
