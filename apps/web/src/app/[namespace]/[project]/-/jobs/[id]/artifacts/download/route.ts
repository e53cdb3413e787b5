/** `/-/jobs/:id/artifacts/download` — the job's artifacts archive (zip), as GitLab. */
import { fileResponse } from "../../../../../../../../server/artifact-response";
import { handle } from "../../../../../../../../server/http";
import { loadJobArtifacts } from "../../../../../../../../server/job-artifacts-page";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ namespace: string; project: string; id: string }> };

export async function GET(_req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { namespace, project, id } = await params;
    const found = await loadJobArtifacts(namespace, project, id);
    const archive = found?.artifacts.archive;
    if (!archive) return new Response("404 Not Found\n", { status: 404 });
    return fileResponse(archive.absolutePath, archive.filename);
  });
}
