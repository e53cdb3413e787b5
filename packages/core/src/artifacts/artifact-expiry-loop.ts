/**
 * Runs {@link expireArtifacts} in the background of the web app, like the job reconciler: right away,
 * then `intervalMs` after each run ends (no overlap within a process), unref'd timers. The orphan
 * file sweep ({@link sweepOrphanArtifacts}, a directory walk) runs in the same loop, at most once per
 * `orphanSweepMs`.
 */
import { getDb } from "@minilab/db";
import { expireArtifacts } from "./expire-artifacts.ts";
import { sweepOrphanArtifacts } from "./sweep-orphan-artifacts.ts";

export interface StartArtifactExpiryOptions {
  /** @defaultValue 60_000 */
  intervalMs?: number;
  /** @defaultValue 3_600_000 */
  orphanSweepMs?: number;
  log?: { info(message: string): void; error(message: string, error: unknown): void };
}

export function startArtifactExpiry({
  intervalMs = 60_000,
  orphanSweepMs = 3_600_000,
  log = console,
}: StartArtifactExpiryOptions = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastSweep = 0;
  const run = async (): Promise<void> => {
    try {
      let removed = 0;
      for (let n = -1; n !== 0 && !stopped;) removed += n = await expireArtifacts({ db: getDb() });
      if (removed > 0) log.info(`minilab: removed ${removed} expired artifact file(s)`);
      if (!stopped && Date.now() - lastSweep >= orphanSweepMs) {
        lastSweep = Date.now();
        const orphans = await sweepOrphanArtifacts({ db: getDb() });
        if (orphans > 0) log.info(`minilab: removed ${orphans} orphaned artifact file(s)`);
      }
    } catch (e) {
      log.error("minilab artifact expiry: run failed", e);
    }
    if (stopped) return;
    timer = setTimeout(() => void run(), intervalMs);
    timer.unref();
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
