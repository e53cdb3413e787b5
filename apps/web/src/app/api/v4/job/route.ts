import { AppError, getJob, toApiJob, toApiUserBasic } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiRoute } from "../../../../server/api-route";
import { json } from "../../../../server/http";

export const dynamic = "force-dynamic";

/**
 * GET /api/v4/job — the job a CI job token belongs to (`JOB-TOKEN: $CI_JOB_TOKEN`), while it runs.
 * Any other credential is a 401, as in GitLab.
 */
export const GET = apiRoute(
  async ({ caller }) => {
    if (!caller.job) throw new AppError("unauthorized", "401 Unauthorized");
    const db = getDb();
    const [job, project] = await Promise.all([
      getJob({ db, projectId: caller.job.projectId, jobId: caller.job.id }),
      db.project.findUnique({ where: { id: caller.job.projectId } }),
    ]);
    if (!job || !project) throw new AppError("unauthorized", "401 Unauthorized");
    return json({ ...toApiJob(job, project), user: caller.user ? toApiUserBasic(caller.user) : null });
  },
  { jobToken: true },
);
