import { listPipelines, toApiPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { projectRoute } from "../../../../../../server/api-route";
import { STATUS_WORDS } from "../../../../../../server/api-jobs";
import { parseParams, readParams } from "../../../../../../server/api-params";
import { pageRequest, paginatedJson } from "../../../../../../server/pagination";

export const dynamic = "force-dynamic";

const Filters = z.object({
  status: z.enum(STATUS_WORDS).optional(),
  ref: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
});

/** GET /api/v4/projects/:id/pipelines — newest first, filtered by status/ref/source, paginated. */
export const GET = projectRoute<{ id: string }>(
  async ({ req, project }) => {
    const filters = parseParams(Filters, await readParams(req));
    const pr = pageRequest(req);
    const { items, total } = await listPipelines({ db: getDb(), projectId: project.id, ...pr, ...filters });
    const body = items.map((p) => {
      const { id, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url } =
        toApiPipeline(p, project);
      return { id, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url };
    });
    return paginatedJson(req, pr, body, total);
  },
  { pipelines: true },
);
