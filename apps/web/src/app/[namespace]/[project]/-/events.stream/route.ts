/**
 * The project's pipeline and job status changes as server-sent events (`event: status`, data a
 * StatusEvent). Notifications only: clients re-read the page (router.refresh) after connecting, so
 * anything that changed before the subscription is picked up from Postgres — unless `ready`'s live
 * version (server/live-version.ts) equals the one the page was rendered at.
 *
 * `?pending=<pipelineId>` (the pipeline page) adds `event: pending` with that pipeline's "why is this
 * job pending" reasons, pushed whenever they change (server/pending-reasons-push.ts).
 * `?pendingJob=<jobId>` (the job page) does the same for that one job.
 */
import { StatusEvent } from "@minilab/contracts";
import { canReadPipelines } from "@minilab/core";
import { getDb } from "@minilab/db";
import { liveChannels } from "@minilab/queue";
import { listen } from "../../../../../server/live-hub";
import { readLiveVersion } from "../../../../../server/live-version";
import { pushPendingReasons } from "../../../../../server/pending-reasons-push";
import { findReadableProject, parseId } from "../../../../../server/project";
import { sseResponse } from "../../../../../server/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(
  req: Request,
  { params }: { params: Promise<{ namespace: string; project: string }> },
): Promise<Response> {
  const { namespace, project: path } = await params;
  const { project, user, level } = await findReadableProject(namespace, path);
  // Pipeline and job statuses: not for those "Public pipelines" (off) keeps out.
  if (!project || !canReadPipelines(user, project, level))
    return Response.json({ message: "404 Project Not Found" }, { status: 404 });
  const search = new URL(req.url).searchParams;
  const pendingParam = search.get("pending");
  const pendingId = pendingParam === null ? null : parseId(pendingParam);
  const pipeline =
    pendingId === null
      ? null
      : await getDb().pipeline.findFirst({
          where: { id: pendingId, projectId: project.id },
          select: { id: true },
        });
  if (pendingParam !== null && !pipeline)
    return Response.json({ message: "404 Pipeline Not Found" }, { status: 404 });
  const jobParam = search.get("pendingJob");
  const pendingJobId = jobParam === null ? null : parseId(jobParam);
  const job =
    pendingJobId === null || pipeline
      ? null
      : await getDb().job.findFirst({
          where: { id: pendingJobId, projectId: project.id },
          select: { id: true, pipelineId: true },
        });
  if (jobParam !== null && !pipeline && !job)
    return Response.json({ message: "404 Job Not Found" }, { status: 404 });
  return sseResponse(req.signal, async (sink) => {
    // A job event during the first computation is remembered and answered once it is done.
    let missed = false;
    let onProjectEvent: () => void = () => {
      missed = true;
    };
    const stop = await listen(liveChannels().projectStatus(project.id), (m) => {
      const ev = StatusEvent.safeParse(JSON.parse(m));
      if (!ev.success) return;
      sink.send({ event: "status", data: ev.data });
      if (ev.data.kind === "job") onProjectEvent();
    });
    const version = await readLiveVersion((v) => v.projectStatus(project.id));
    sink.send({ event: "ready", data: { projectId: project.id, version } });
    const pending = pipeline
      ? await pushPendingReasons(sink, pipeline.id)
      : job
        ? await pushPendingReasons(sink, job.pipelineId, job.id)
        : null;
    if (pending) {
      onProjectEvent = pending.onProjectEvent;
      if (missed) onProjectEvent();
    }
    return () => {
      stop();
      pending?.stop();
    };
  });
}
