import { toApiProject } from "@minilab/core";
import { apiProject, apiReader } from "../../../../../server/api-auth";
import { handle, json } from "../../../../../server/http";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/v4/projects/:id — by numeric id or URL-encoded path (`alice%2Fdemo`). */
export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id } = await params;
    const project = await apiProject(await apiReader(req), id);
    return json(toApiProject(project));
  });
}
