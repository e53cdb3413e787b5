/** `/-/jobs/:id/artifacts/file/<path>` — one file of the job's archive, as an attachment. */
import { openArchiveEntry } from "@minilab/core";
import { entryResponse } from "../../../../../../../../../server/artifact-response";
import { handle } from "../../../../../../../../../server/http";
import { loadJobArtifacts } from "../../../../../../../../../server/job-artifacts-page";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ namespace: string; project: string; id: string; path: string[] }> };

export async function GET(_req: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const { namespace, project, id, path } = await params;
    const found = await loadJobArtifacts(namespace, project, id);
    const archive = found?.artifacts.archive;
    const entryPath = path.join("/");
    const entry = archive?.entries.find((e) => e.path === entryPath);
    const stream = archive && entry ? await openArchiveEntry(archive.absolutePath, entry.path) : null;
    if (!entry || !stream) return new Response("404 Not Found\n", { status: 404 });
    return entryResponse(stream, entry.path, entry.size);
  });
}
