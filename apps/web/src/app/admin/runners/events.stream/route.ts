/**
 * Runners going offline or coming back online, as server-sent events (`event: presence`, data a
 * RunnerPresenceEvent), for the admin runners page: notifications only, the page re-reads its table.
 * Admins only, like the page.
 */
import { RunnerPresenceEvent } from "@minilab/contracts";
import { liveChannels } from "@minilab/queue";
import { listen } from "../../../../server/live-hub";
import { readLiveVersion } from "../../../../server/live-version";
import { currentUser } from "../../../../server/session";
import { sseResponse } from "../../../../server/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(req: Request): Promise<Response> {
  const user = await currentUser();
  if (!user?.isAdmin) return Response.json({ message: "404 Not Found" }, { status: 404 });
  return sseResponse(req.signal, async (sink) => {
    const stop = await listen(liveChannels().runnerPresence, (m) => {
      const ev = RunnerPresenceEvent.safeParse(JSON.parse(m));
      if (ev.success) sink.send({ event: "presence", data: ev.data });
    });
    const version = await readLiveVersion((v) => v.runnerPresence);
    sink.send({ event: "ready", data: { version } });
    return stop;
  });
}
