/**
 * The scheduler of the web process: runs due schedules, then sleeps until the earliest `next_run_at`
 * (at most `maxSleepMs`, so schedules saved by another process are picked up within that bound), or
 * until {@link wakeScheduler} is called by a save in this process. No fixed fast polling: an idle
 * instance queries Postgres about once a minute. Several processes may run loops at once; the claim in
 * runDueSchedules makes each tick fire once.
 */
import { getDb, type Db } from "@minilab/db";
import { runDueSchedules } from "./run-schedule.ts";
import { onSchedulerWake } from "./wake.ts";

export interface StartSchedulerOptions {
  /** @defaultValue `getDb()` */
  db?: Db;
  /** Longest sleep between two looks at the table. @defaultValue 60_000 */
  maxSleepMs?: number;
  /** @defaultValue `console` */
  log?: { error(message: string, error: unknown): void };
  /** Called after each pass (tests). */
  onPass?: (r: { claimed: number; pipelineIds: number[] }) => void;
}

/** Starts the loop; the returned function stops it. */
export function startScheduler({
  db,
  maxSleepMs = 60_000,
  log = console,
  onPass,
}: StartSchedulerOptions = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;

  const pass = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    let sleep = maxSleepMs;
    try {
      const d = db ?? getDb();
      const r = await runDueSchedules({ db: d });
      onPass?.(r);
      const earliest = await d.pipelineSchedule.findFirst({
        where: { active: true, nextRunAt: { not: null } },
        orderBy: { nextRunAt: "asc" },
        select: { nextRunAt: true },
      });
      if (earliest?.nextRunAt)
        sleep = Math.min(maxSleepMs, Math.max(0, earliest.nextRunAt.getTime() - Date.now()));
    } catch (e) {
      log.error("minilab scheduler: pass failed", e);
    }
    running = false;
    if (stopped) return;
    if (again) {
      again = false;
      sleep = 0;
    }
    // +5 ms: a timer may fire a hair early; waking before the tick would only cost another pass.
    timer = setTimeout(() => void pass(), sleep + 5);
    timer.unref();
  };

  const unsubscribe = onSchedulerWake(() => {
    if (!stopped) void pass();
  });
  void pass();
  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(timer);
  };
}
