/**
 * Pipeline and job status changes of every project on the caller's dashboard, as server-sent events
 * (`event: status`, data a StatusEvent), so the home page updates by push rather than polling.
 * Like the per-project stream these are notifications only; clients re-read the page.
 *
 * The project set is fixed when the stream opens (the dashboard's projects, at most
 * {@link MAX_PROJECTS} most recently updated): a project created later appears on the next load.
 */
import { listProjectsForUser, pipelineReadableProjectIds } from "@minilab/core";
import { StatusEvent } from "@minilab/contracts";
import { getDb } from "@minilab/db";
import { liveChannels } from "@minilab/queue";
import { listen } from "../../../server/live-hub";
import { readLiveVersion } from "../../../server/live-version";
import { currentUser } from "../../../server/session";
import { sseResponse } from "../../../server/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const MAX_PROJECTS = 100;

export async function GET(req: Request): Promise<Response> {
  const user = await currentUser();
  const visible = (await listProjectsForUser({ db: getDb(), user })).slice(0, MAX_PROJECTS);
  // Only projects whose pipelines the user may see ("Public pipelines").
  const readable = await pipelineReadableProjectIds({ db: getDb(), user, projects: visible });
  const projects = visible.filter((p) => readable.has(p.id));
  return sseResponse(req.signal, async (sink) => {
    const forward = (m: string) => {
      const ev = StatusEvent.safeParse(JSON.parse(m));
      if (ev.success) sink.send({ event: "status", data: ev.data });
    };
    const subscribed = await Promise.allSettled(
      projects.map((p) => listen(liveChannels().projectStatus(p.id), forward)),
    );
    const stops = subscribed.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failed = subscribed.find((r) => r.status === "rejected");
    if (failed) {
      stops.forEach((s) => s());
      throw failed.reason;
    }
    // Counts every project's events: the dashboard's page counts the same (see readLiveVersion).
    const version = await readLiveVersion((v) => v.anyProjectStatus);
    sink.send({ event: "ready", data: { projects: projects.length, version } });
    return () => stops.forEach((s) => s());
  });
}
