/** GET /api/v4/projects/:id/jobs/:job_id/artifacts/*artifact_path — one file from the archive. */
import { AppError, findJobArtifacts, openArchiveEntry } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../../server/api-auth";
import { artifactReadProject } from "../../../../../../../../../server/artifact-access";
import { entryResponse } from "../../../../../../../../../server/artifact-response";
import { handle } from "../../../../../../../../../server/http";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; job_id: string; artifact_path: string[] }> };

export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { id, job_id, artifact_path } = await params;
    const project = await artifactReadProject(req, id);
    const { archive } = await findJobArtifacts({
      db: getDb(),
      projectId: project.id,
      jobId: apiId(job_id, "Job"),
    });
    // Next hands catch-all segments already decoded.
    const entryPath = artifact_path.join("/");
    const entry = archive?.entries.find((e) => e.path === entryPath);
    if (!archive || !entry) throw new AppError("not_found", "404 Artifact Not Found");
    const stream = await openArchiveEntry(archive.absolutePath, entry.path);
    if (!stream) throw new AppError("not_found", "404 Artifact Not Found");
    return entryResponse(stream, entry.path, entry.size);
  });
}
