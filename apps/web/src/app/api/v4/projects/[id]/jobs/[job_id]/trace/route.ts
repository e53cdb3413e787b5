import { AppError, getJob, readJobLog } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId, apiProject, apiReader } from "../../../../../../../../server/api-auth";
import { handle } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; job_id: string }> };

/** GET /api/v4/projects/:id/jobs/:job_id/trace — the raw log as stored (ANSI codes included). */
export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id, job_id } = await params;
    const project = await apiProject(await apiReader(req), id);
    const db = getDb();
    const job = await getJob({ db, projectId: project.id, jobId: apiId(job_id, "Job") });
    if (!job) throw new AppError("not_found", "404 Job Not Found");
    const log = await readJobLog({ db, jobId: job.id });
    return new Response(new Uint8Array(log), {
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  });
}
