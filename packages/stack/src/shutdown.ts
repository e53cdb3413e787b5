/**
 * Process-lifetime cleanup. The orchestrator registers live children here; on SIGINT/SIGTERM/SIGHUP
 * the registered async cleanup runs once (repeated signals, e.g. Ctrl-C delivered both by the
 * terminal and by the bootstrap wrapper, are ignored), and if the process exits any other way the
 * `exit` hook still signals whatever is left, synchronously.
 */
import { log } from "./log.ts";
import { signalGroup, type ManagedProcess } from "./proc.ts";

/** Live children in start order. */
const live: ManagedProcess[] = [];
let cleanup: (() => Promise<void>) | undefined;
let stopping = false;

export function track(p: ManagedProcess): ManagedProcess {
  live.push(p);
  p.child.once("exit", () => {
    const i = live.indexOf(p);
    if (i >= 0) live.splice(i, 1);
  });
  return p;
}

/** Stops what is still running, newest first, waiting for each (Postgres: fast shutdown). */
async function stopLive(): Promise<void> {
  for (const p of [...live].reverse()) {
    log.info(`stopping ${p.name}…`);
    await p.stop(p.name === "postgres" ? "SIGINT" : "SIGTERM");
  }
  log.ok("Everything stopped");
}

/** Sets what to do on a signal (before any still-running child is stopped) and exit with 128+signal. */
export function onShutdown(fn: () => Promise<void>): void {
  cleanup = fn;
}

export function installSignalHandlers(): void {
  const handler = (sig: NodeJS.Signals, code: number) => () => {
    if (stopping) return;
    stopping = true;
    log.info(`${sig}: stopping minilab…`);
    void (cleanup ?? (async () => {}))()
      .then(stopLive)
      .catch((e: unknown) => log.fail(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => process.exit(code));
  };
  process.on("SIGINT", handler("SIGINT", 130));
  process.on("SIGTERM", handler("SIGTERM", 143));
  process.on("SIGHUP", handler("SIGHUP", 129));
  process.on("exit", () => {
    for (const p of live)
      if (p.child.pid) signalGroup(p.child.pid, p.name === "postgres" ? "SIGINT" : "SIGTERM");
  });
}

export const isStopping = (): boolean => stopping;
