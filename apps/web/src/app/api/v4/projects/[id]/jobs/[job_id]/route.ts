import { pendingReason, toApiJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { json } from "../../../../../../../server/http";
import { projectRoute } from "../../../../../../../server/api-route";
import { projectJob } from "../../../../../../../server/api-jobs";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/jobs/:job_id */
export const GET = projectRoute<{ id: string; job_id: string }>(
  async ({ project, params }) => {
    const job = await projectJob(project, params.job_id);
    const reason = await pendingReason({ db: getDb(), jobId: job.id });
    return json(toApiJob({ ...job, pendingReason: reason?.message ?? null }, project));
  },
  { builds: true },
);
