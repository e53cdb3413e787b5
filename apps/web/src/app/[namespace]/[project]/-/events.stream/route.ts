/**
 * The project's pipeline and job status changes as server-sent events (`event: status`, data a
 * StatusEvent). Notifications only: clients re-read the page (router.refresh) after connecting, so
 * anything that changed before the subscription is picked up from Postgres.
 */
import { StatusEvent } from "@minilab/contracts";
import { liveChannels } from "@minilab/queue";
import { listen } from "../../../../../server/live-hub";
import { findReadableProject } from "../../../../../server/project";
import { sseResponse } from "../../../../../server/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(
  req: Request,
  { params }: { params: Promise<{ namespace: string; project: string }> },
): Promise<Response> {
  const { namespace, project: path } = await params;
  const { project } = await findReadableProject(namespace, path);
  if (!project) return Response.json({ message: "404 Project Not Found" }, { status: 404 });
  return sseResponse(req.signal, async (sink) => {
    const stop = await listen(liveChannels().projectStatus(project.id), (m) => {
      const ev = StatusEvent.safeParse(JSON.parse(m));
      if (ev.success) sink.send({ event: "status", data: ev.data });
    });
    sink.send({ event: "ready", data: { projectId: project.id } });
    return stop;
  });
}
