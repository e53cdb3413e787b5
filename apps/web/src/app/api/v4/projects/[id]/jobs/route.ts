import { listProjectJobs, toApiJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../server/api-route";
import { jobScopes } from "../../../../../../server/api-jobs";
import { pageRequest, paginatedJson } from "../../../../../../server/pagination";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/jobs — newest first, `scope[]` filters by status, paginated. */
export const GET = projectRoute<{ id: string }>(
  async ({ req, project }) => {
    const statuses = jobScopes(req);
    const pr = pageRequest(req);
    const { items, total } = await listProjectJobs({ db: getDb(), projectId: project.id, statuses, ...pr });
    return paginatedJson(
      req,
      pr,
      items.map((j) => toApiJob(j, project)),
      total,
    );
  },
  { builds: true },
);
