/**
 * GET /api/v4/projects/:id/jobs/:job_id/artifacts — the job's artifacts archive (zip).
 * DELETE — removes the job's artifacts (maintainer; token needs the `api` scope). 204.
 */
import { AppError, deleteJobArtifacts, findJobArtifacts } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { artifactManageProject, artifactReadProject } from "../../../../../../../../server/artifact-access";
import { fileResponse } from "../../../../../../../../server/artifact-response";
import { handle } from "../../../../../../../../server/http";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; job_id: string }> };

export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id, job_id } = await params;
    const project = await artifactReadProject(req, id);
    const jobId = apiId(job_id, "Job");
    const { archive } = await findJobArtifacts({ db: getDb(), projectId: project.id, jobId });
    if (!archive) throw new AppError("not_found", "404 Artifacts Not Found");
    return fileResponse(archive.absolutePath, archive.filename);
  });
}

export async function DELETE(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id, job_id } = await params;
    const project = await artifactManageProject(req, id);
    await deleteJobArtifacts({ db: getDb(), projectId: project.id, jobId: apiId(job_id, "Job") });
    return new Response(null, { status: 204 });
  });
}
