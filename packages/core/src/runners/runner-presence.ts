/**
 * Runner presence as events. A runner is online while its last contact (`contacted_at`) is within
 * ONLINE_WINDOW_MS (GitLab's rule, see runner-api.ts). Coming online is announced where the contact is
 * recorded (authenticate-runner.ts); going offline is the absence of anything, so a loop in the web app
 * announces it: it wakes when the earliest online runner's window ends (or after {@link MAX_SLEEP_MS},
 * to see runners that came online meanwhile — their window is longer than that) and announces every
 * runner whose window ended since its previous wake. Announcing is a RunnerPresenceEvent plus the
 * `queueActivity` notification, so the admin runners page re-reads its table and pipeline and job pages
 * recompute "why is this job pending" ("No online runner with tags […]").
 *
 * Stateless and read-only: several processes may run it, each announcing the same transition, which
 * is harmless (events are notifications; subscribers re-read Postgres). A window that ended while no
 * process ran the loop is not announced: pages opened later read the truth from Postgres.
 */
import { ONLINE_WINDOW_MS } from "@minilab/contracts";
import { getDb, type Db } from "@minilab/db";
import { getRedis, publishRunnerPresence, type Redis } from "@minilab/queue";

/** Longest sleep of the loop: well under ONLINE_WINDOW_MS, so no runner's window ends unseen. */
export const MAX_SLEEP_MS = 30_000;

export interface AnnounceOfflineRunnersOptions {
  db: Db;
  /** The previous sweep's `now`: runners whose window ended in (since, now] are announced. */
  since: Date;
  /** @defaultValue `new Date()` */
  now?: Date;
  /** @defaultValue `getRedis()` */
  redis?: Redis;
}

/**
 * Announces the runners that went offline in (since, now]: their last contact is in
 * (since − window, now − window]. Returns their ids. Consecutive sweeps cover adjacent intervals, so
 * each transition is announced once per process.
 */
export async function announceOfflineRunners({
  db,
  since,
  now = new Date(),
  redis,
}: AnnounceOfflineRunnersOptions): Promise<number[]> {
  const gone = await db.runner.findMany({
    where: {
      contactedAt: {
        gt: new Date(since.getTime() - ONLINE_WINDOW_MS),
        lte: new Date(now.getTime() - ONLINE_WINDOW_MS),
      },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  if (gone.length === 0) return [];
  const r = redis ?? getRedis();
  for (const { id } of gone) await publishRunnerPresence(r, { runnerId: id, online: false });
  return gone.map((g) => g.id);
}

/** When the next online runner's window ends if it makes no contact (null: no runner is online). */
export async function nextOfflineAt({ db, now = new Date() }: { db: Db; now?: Date }): Promise<Date | null> {
  const first = await db.runner.findFirst({
    where: { contactedAt: { gt: new Date(now.getTime() - ONLINE_WINDOW_MS) } },
    orderBy: { contactedAt: "asc" },
    select: { contactedAt: true },
  });
  return first?.contactedAt ? new Date(first.contactedAt.getTime() + ONLINE_WINDOW_MS) : null;
}

export interface StartRunnerPresenceOptions {
  /** @defaultValue `getDb()` */
  db?: Db;
  /** @defaultValue `getRedis()` */
  redis?: Redis;
  /** @defaultValue {@link MAX_SLEEP_MS} */
  maxSleepMs?: number;
  /** @defaultValue `console` */
  log?: { error(message: string, error: unknown): void };
}

/** Starts the loop (see the file comment); the returned function stops it. */
export function startRunnerPresence({
  db,
  redis,
  maxSleepMs = MAX_SLEEP_MS,
  log = console,
}: StartRunnerPresenceOptions = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let since = new Date();
  const wake = async (): Promise<void> => {
    let sleep = maxSleepMs;
    try {
      const d = db ?? getDb();
      const now = new Date();
      await announceOfflineRunners({ db: d, since, now, ...(redis ? { redis } : {}) });
      since = now;
      const next = await nextOfflineAt({ db: d, now });
      // +1 ms: the runner is offline once `now − contacted_at ≥ window`, i.e. at `next` itself.
      if (next) sleep = Math.min(maxSleepMs, Math.max(0, next.getTime() - Date.now() + 1));
    } catch (e) {
      log.error("minilab runner presence: sweep failed", e);
    }
    if (stopped) return;
    timer = setTimeout(() => void wake(), sleep);
    timer.unref();
  };
  void wake();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
