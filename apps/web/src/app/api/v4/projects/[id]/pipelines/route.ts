import { listPipelines, toApiPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiProject, apiReader } from "../../../../../../server/api-auth";
import { handle, json } from "../../../../../../server/http";
import { pageRequest, paginationHeaders } from "../../../../../../server/pagination";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/v4/projects/:id/pipelines — newest first, GitLab pagination headers. */
export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id } = await params;
    const project = await apiProject(await apiReader(req), id);
    const pr = pageRequest(req);
    const { items, total } = await listPipelines({ db: getDb(), projectId: project.id, ...pr });
    const body = items.map((p) => {
      const { id, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url } =
        toApiPipeline(p, project);
      return { id, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url };
    });
    return json(body, { headers: paginationHeaders(req, pr, total) });
  });
}
