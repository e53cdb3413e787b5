/**
 * Runs {@link reconcileJobs} in the background of a long-lived process (the web app): once right away,
 * then `intervalMs` after each run ends. Chaining timeouts instead of `setInterval` means a slow run
 * never overlaps the next one in this process; other processes may run their own loop (reconcileJobs
 * is safe under concurrency). A failed run is logged and the loop goes on: the next run retries.
 *
 * Beside it, the process beats the web app's liveness row every {@link LIVENESS_BEAT_MS}
 * (web-liveness.ts), and each run beats first: a run right after the web app was down sees the gap
 * and judges no runner silent until the web app has been back for the stale window.
 */
import { getDb, type Db } from "@minilab/db";
import { createScheduledWorker } from "@minilab/queue";
import { promoteScheduledJob } from "../pipelines/scheduled-jobs.ts";
import { reconcileJobs, type ReconcileJobsOptions } from "./reconcile-jobs.ts";
import { LIVENESS_BEAT_MS, recordWebLiveness } from "./web-liveness.ts";

export interface ReconcilerLog {
  info(message: string): void;
  error(message: string, error: unknown): void;
}

export interface StartReconcilerOptions {
  /** Pause between the end of one run and the start of the next. @defaultValue 15_000 */
  intervalMs?: number;
  /** Where results worth noticing and errors go. @defaultValue `console` */
  log?: ReconcilerLog;
  /** @defaultValue `getDb()` */
  db?: Db;
  /** Passed to reconcileJobs. @defaultValue 30_000 */
  staleAfterMs?: ReconcileJobsOptions["staleAfterMs"];
  /** Between two beats of the web app's liveness row. @defaultValue {@link LIVENESS_BEAT_MS} */
  livenessBeatMs?: number;
  /**
   * Also consume the BullMQ timers of delayed jobs (see pipelines/scheduled-jobs.ts), so they start
   * on time instead of at the next run. @defaultValue true
   */
  scheduledTimers?: boolean;
}

/** Starts the loop; the returned function stops it (a run in progress finishes, no new one starts). */
export function startReconciler({
  intervalMs = 10_000,
  log = console,
  db,
  staleAfterMs,
  livenessBeatMs = LIVENESS_BEAT_MS,
  scheduledTimers = true,
}: StartReconcilerOptions = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const beat = (): Promise<Date> => recordWebLiveness(db ?? getDb());
  const beats = setInterval(() => {
    beat().catch((e: unknown) => log.error("minilab reconciler: liveness beat failed", e));
  }, livenessBeatMs);
  beats.unref();
  // A timer may fire a few ms before `scheduled_at` (delay rounding): allow that much.
  const worker = scheduledTimers
    ? createScheduledWorker(
        async (jobId) => {
          await promoteScheduledJob({ db: db ?? getDb(), jobId, now: new Date(Date.now() + 1_000) });
        },
        (e) => log.error("minilab reconciler: scheduled-job timers failed", e),
      )
    : null;

  const run = async (): Promise<void> => {
    try {
      // Without a beat there is no telling whether the web app was just down: judge no silence now.
      const webUpSince = await beat().catch((e: unknown) => {
        log.error("minilab reconciler: liveness beat failed", e);
        return new Date();
      });
      const r = await reconcileJobs({ db: db ?? getDb(), staleAfterMs, webUpSince });
      if (r.requeued + r.failedStale + r.timedOut + r.promoted + r.assigned + r.stuck > 0)
        log.info(
          `minilab reconciler: re-enqueued ${r.requeued} pending, failed ${r.failedStale} silent, ${r.timedOut} timed-out and ${r.stuck} stuck job(s), started ${r.promoted} due delayed job(s), handed over ${r.assigned} resource group(s)`,
        );
    } catch (e) {
      log.error("minilab reconciler: run failed", e);
    }
    if (stopped) return;
    timer = setTimeout(() => void run(), intervalMs);
    // A background chore must not keep a process alive that would otherwise exit.
    timer.unref();
  };
  void run();

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(beats);
    void worker?.close();
  };
}
