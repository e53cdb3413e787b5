/**
 * "Why is this job pending" by server push, for a pipeline page's event stream (`?pending=<id>`) or a
 * job page's (`?pendingJob=<id>`: the same, narrowed to that one job of the pipeline).
 *
 * The reasons depend on the pipeline's own jobs (needs, stages, resource groups: their status events
 * arrive on the project channel) and on the world outside it (queue positions, busy runners, runners
 * coming online: the installation-wide `queueActivity` notification). On either, the reasons are
 * recomputed from Postgres (core's pendingReasons, the same query the page renders with) at most once
 * per {@link COALESCE_MS}, and sent as `event: pending` only when they changed. Outside activity is
 * ignored while the pipeline has no waiting job, so a finished pipeline's page costs nothing.
 */
import { pendingReasons } from "@minilab/core";
import { liveChannels } from "@minilab/queue";
import { getDb } from "@minilab/db";
import { listen } from "./live-hub";
import type { SseSink } from "./sse";

const COALESCE_MS = 250;

/**
 * Starts pushing; returns the cleanup. `onProjectEvent` is to be called for each project status event.
 * With `jobId` (a job of `pipelineId`) only that job's reason is computed and sent.
 */
export async function pushPendingReasons(
  sink: SseSink,
  pipelineId: number,
  jobId?: number,
): Promise<{ onProjectEvent: () => void; stop: () => void }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = "";
  let waiting = true;
  let running = false;
  let again = false;

  const compute = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const db = getDb();
      const jobIds =
        jobId !== undefined
          ? [jobId]
          : (await db.job.findMany({ where: { pipelineId, retried: false }, select: { id: true } })).map(
              (j) => j.id,
            );
      const reasons = await pendingReasons({ db, jobIds });
      waiting = reasons.size > 0;
      const data = {
        pipelineId,
        reasons: Object.fromEntries([...reasons].map(([id, r]) => [String(id), r.message])),
      };
      const text = JSON.stringify(data);
      if (text !== last && !sink.closed) {
        last = text;
        sink.send({ event: "pending", data });
      }
    } catch (e) {
      console.error("minilab: pending reasons push failed", e);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = (): void => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void compute();
    }, COALESCE_MS);
  };

  const stopActivity = await listen(liveChannels().queueActivity, () => {
    if (waiting) schedule();
  });
  // The first computation is sent right away: whatever changed since the page was rendered.
  await compute();
  return {
    onProjectEvent: schedule,
    stop: () => {
      stopActivity();
      if (timer) clearTimeout(timer);
    },
  };
}
