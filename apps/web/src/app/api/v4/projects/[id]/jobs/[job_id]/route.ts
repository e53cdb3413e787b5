import { AppError, getJob, toApiJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId, apiProject, apiReader } from "../../../../../../../server/api-auth";
import { handle, json } from "../../../../../../../server/http";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; job_id: string }> };

/** GET /api/v4/projects/:id/jobs/:job_id */
export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id, job_id } = await params;
    const project = await apiProject(await apiReader(req), id);
    const job = await getJob({ db: getDb(), projectId: project.id, jobId: apiId(job_id, "Job") });
    if (!job) throw new AppError("not_found", "404 Job Not Found");
    return json(toApiJob(job, project));
  });
}
