/** Live job log + job status as server-sent events (see server/job-trace.ts for the protocol). */
import { canReadBuilds, getJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { streamJobTrace } from "../../../../../../../server/job-trace";
import { resumeOffset } from "../../../../../../../server/params";
import { findReadableProject, parseId } from "../../../../../../../server/project";
import { sseResponse } from "../../../../../../../server/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const notFound = () => Response.json({ message: "404 Not Found" }, { status: 404 });

export async function GET(
  req: Request,
  { params }: { params: Promise<{ namespace: string; project: string; id: string }> },
): Promise<Response> {
  const { namespace, project: path, id } = await params;
  const jobId = parseId(id);
  const { project, user, level } = await findReadableProject(namespace, path);
  if (!project || jobId === null || !canReadBuilds(user, project, level)) return notFound();
  const job = await getJob({ db: getDb(), projectId: project.id, jobId });
  if (!job) return notFound();
  const from = resumeOffset(req);
  return sseResponse(req.signal, (sink) => streamJobTrace(sink, { projectId: project.id, jobId, from }));
}
