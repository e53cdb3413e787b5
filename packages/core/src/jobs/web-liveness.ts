/**
 * The web app's liveness, so a web outage is not mistaken for runner silence.
 *
 * Runners report (log chunks, job heartbeats, finish) only to the web app. While every web process is
 * down, no runner can, and on restart each running job's `heartbeat_at` looks as old as the outage:
 * judged on it alone, the reconciler would fail every job that ran through the outage with
 * `runner_system_failure`. So each web process beats one shared row every {@link LIVENESS_BEAT_MS}:
 * `seen_at` is the latest beat of any process; `up_since` is where the current run of beats began —
 * a beat finding `seen_at` older than {@link LIVENESS_GAP_MS} means no web process was alive in between,
 * and starts a new run. The reconciler judges silence only once the web app has been up for the whole
 * stale window (reconcile-jobs.ts); runners reach it again within seconds, as they keep retrying.
 *
 * Several web processes: any live one keeps `up_since` (runners could report to it, the deployment
 * is assumed to route them to a live process); only the whole web app being down opens a gap. A
 * process restarting alone changes nothing. An outage shorter than the gap threshold is counted as
 * silence, which the stale window's margin absorbs (heartbeats every 10 s, 30 s window).
 *
 * Concurrency: one upsert statement, so simultaneous beats of several processes serialise on the row;
 * a process whose clock is behind never moves `seen_at` back.
 */
import type { Db } from "@minilab/db";

/** How often each web process beats. */
export const LIVENESS_BEAT_MS = 2_000;
/** A gap between beats longer than this means the whole web app was down (three missed beats). */
export const LIVENESS_GAP_MS = 6_000;

/** Records a beat; returns since when the web app has been up without a gap. */
export async function recordWebLiveness(
  db: Db,
  now: Date = new Date(),
  gapMs: number = LIVENESS_GAP_MS,
): Promise<Date> {
  const rows = await db.$queryRaw<{ up_since: Date }[]>`
    INSERT INTO web_liveness (id, up_since, seen_at) VALUES (1, ${now}, ${now})
    ON CONFLICT (id) DO UPDATE SET
      up_since = CASE WHEN web_liveness.seen_at < ${new Date(now.getTime() - gapMs)}
                      THEN EXCLUDED.up_since ELSE web_liveness.up_since END,
      seen_at = GREATEST(web_liveness.seen_at, EXCLUDED.seen_at)
    RETURNING up_since`;
  return rows[0]!.up_since;
}

/**
 * Since when the web app has been up without a gap, as of `now`: a latest beat older than the gap
 * threshold means a gap up to now. Null when no web process has ever beaten (nothing to go by:
 * silence is then judged on heartbeats alone).
 */
export async function readWebUpSince(
  db: Db,
  now: Date = new Date(),
  gapMs: number = LIVENESS_GAP_MS,
): Promise<Date | null> {
  const row = await db.webLiveness.findUnique({ where: { id: 1 } });
  if (!row) return null;
  return row.seenAt.getTime() < now.getTime() - gapMs ? now : row.upSince;
}
