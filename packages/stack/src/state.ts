/**
 * `<dataDir>/state.json`: what a running `npm start` is made of (URLs, ports, pids). The admin CLI
 * reads it to find the database; the next start reads it to clean up after a crashed orchestrator.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { log } from "./log.ts";
import { isAlive, signalGroup } from "./proc.ts";

export interface StackState {
  orchestratorPid: number;
  startedAt: string;
  databaseUrl: string;
  redisUrl: string;
  dockerHost: string;
  webUrl?: string;
  /** Child processes: name → pid and the executable name to recognise it by. */
  processes: { name: string; pid: number; exe: string }[];
}

export const statePath = (dataDir: string): string => path.join(dataDir, "state.json");

export function readState(dataDir: string): StackState | undefined {
  const file = statePath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as StackState;
  } catch {
    return undefined;
  }
}

export function writeState(dataDir: string, state: StackState): void {
  writeFileSync(statePath(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeState(dataDir: string): void {
  rmSync(statePath(dataDir), { force: true });
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/**
 * Refuses to start twice on one data dir, and stops children a killed orchestrator left behind
 * (checking the command line so a recycled pid is never signalled).
 */
export async function reclaimStaleState(dataDir: string): Promise<void> {
  const prev = readState(dataDir);
  if (!prev) return;
  if (
    prev.orchestratorPid !== process.pid &&
    isAlive(prev.orchestratorPid) &&
    cmdline(prev.orchestratorPid).includes("stack/src/main.ts")
  ) {
    throw new Error(
      `minilab is already running on ${dataDir} (pid ${prev.orchestratorPid}); stop it first (Ctrl-C, or kill ${prev.orchestratorPid})`,
    );
  }
  const orphans = prev.processes.filter((p) => isAlive(p.pid) && cmdline(p.pid).includes(p.exe));
  for (const p of orphans) {
    log.warn(`stopping ${p.name} (pid ${p.pid}) left over from a previous run`);
    signalGroup(p.pid, p.name === "postgres" ? "SIGINT" : "SIGTERM");
  }
  const deadline = Date.now() + 20_000;
  while (orphans.some((p) => isAlive(p.pid)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  for (const p of orphans.filter((o) => isAlive(o.pid))) signalGroup(p.pid, "SIGKILL");
  removeState(dataDir);
}
