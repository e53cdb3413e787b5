/**
 * Runs {@link garbageCollectRegistry} in the background of the web app: an hour after start, then
 * hourly (no overlap within a process; unref'd timers). Several web processes may run it: every
 * delete re-checks its condition in SQL, so concurrent runs only race to delete the same rows.
 */
import { getDb } from "@minilab/db";
import { garbageCollectRegistry } from "./garbage-collect-registry.ts";

export interface StartRegistryGcOptions {
  /** @defaultValue 1 hour */
  intervalMs?: number;
  log?: { info(message: string): void; error(message: string, error: unknown): void };
}

export function startRegistryGc({
  intervalMs = 60 * 60 * 1000,
  log = console,
}: StartRegistryGcOptions = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void run(), intervalMs);
    timer.unref();
  };
  const run = async (): Promise<void> => {
    try {
      const r = await garbageCollectRegistry({ db: getDb() });
      if (r.blobs + r.manifests + r.uploads > 0)
        log.info(
          `minilab registry gc: ${r.manifests} untagged manifest(s), ${r.blobs} blob(s) (${r.bytes} bytes), ${r.uploads} stale upload(s) removed`,
        );
    } catch (e) {
      log.error("minilab registry gc: run failed", e);
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
