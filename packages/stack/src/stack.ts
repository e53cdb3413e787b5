/**
 * Brings the whole platform up (services → job images + schema → first admin and runner token →
 * web → runner) and down again in reverse order. Used by `start`, `test` and `bench`.
 */
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { StackConfig } from "./config.ts";
import { ensureJobImages } from "./images.ts";
import { log } from "./log.ts";
import { freePort } from "./ports.ts";
import type { ManagedProcess } from "./proc.ts";
import { applyMigrations, provision, type Provisioned } from "./provision.ts";
import { startServices, stopProcesses, type Mode } from "./services.ts";
import { track } from "./shutdown.ts";
import { removeState, writeState } from "./state.ts";
import { buildWeb, startRunner, startWeb } from "./web.ts";

export interface Stack {
  mode: Mode;
  dataDir: string;
  logDir: string;
  databaseUrl: string;
  redisUrl: string;
  dockerHost: string;
  provisioned: Provisioned;
  webUrl?: string;
  externalUrl: string;
  port: number;
  procs: ManagedProcess[];
}

export async function bringUpServices(cfg: StackConfig, mode: Mode, dataDir: string): Promise<Stack> {
  mkdirSync(dataDir, { recursive: true });
  // The postgres account must be able to traverse into the data dir (mkdtemp makes it 0700).
  chmodSync(dataDir, 0o755);
  const logDir = path.join(dataDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const svc = await startServices({
    mode,
    dataDir,
    databaseUrl: cfg.databaseUrl,
    redisUrl: cfg.redisUrl,
    dockerHost: cfg.dockerHost,
  });
  svc.procs.forEach(track);
  const port = mode === "test" ? await freePort() : cfg.port;
  const stack: Stack = {
    mode,
    dataDir,
    logDir,
    databaseUrl: svc.databaseUrl,
    redisUrl: svc.redisUrl,
    dockerHost: svc.dockerHost,
    provisioned: { runnerToken: "" },
    externalUrl: mode === "test" ? `http://127.0.0.1:${port}` : cfg.externalUrl,
    port,
    procs: [...svc.procs],
  };
  saveState(stack);
  await Promise.all([ensureJobImages(stack.dockerHost), applyMigrations(stack.databaseUrl)]);
  stack.provisioned = await provision({ databaseUrl: stack.databaseUrl, dataDir, createAdmin: true });
  return stack;
}

/** Builds and starts the web app, then the runner. */
export async function bringUpApps(stack: Stack): Promise<void> {
  const webEnv = {
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.redisUrl,
    dataDir: stack.dataDir,
    externalUrl: stack.externalUrl,
    port: stack.port,
  };
  await buildWeb(webEnv, stack.logDir);
  const web = await startWeb(
    { ...webEnv, host: stack.mode === "test" ? "127.0.0.1" : "0.0.0.0" },
    stack.logDir,
  );
  stack.procs.push(track(web.proc));
  stack.webUrl = stack.mode === "test" ? web.url : stack.externalUrl;
  const runner = track(
    await startRunner(
      {
        webUrl: web.url,
        token: stack.provisioned.runnerToken,
        redisUrl: stack.redisUrl,
        dockerHost: stack.dockerHost,
        dataDir: stack.dataDir,
        networkMode: stack.mode === "test" ? "none" : undefined,
      },
      stack.logDir,
    ),
  );
  stack.procs.push(runner);
  // A runner that dies at once (bad token, missing module) should fail the start, not go unnoticed.
  await new Promise((r) => setTimeout(r, 1500));
  const dead = runner.exited();
  if (dead) throw new Error(`runner ${dead}`);
  saveState(stack);
}

/** What each child's /proc cmdline contains (next renames itself to "next-server (vX)"). */
const EXE: Record<string, string> = { web: "next", runner: "node", redis: "redis-server" };

export function saveState(stack: Stack): void {
  writeState(stack.dataDir, {
    orchestratorPid: process.pid,
    startedAt: new Date().toISOString(),
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.redisUrl,
    dockerHost: stack.dockerHost,
    ...(stack.webUrl ? { webUrl: stack.webUrl } : {}),
    processes: stack.procs.flatMap((p) =>
      p.child.pid
        ? [
            {
              name: p.name,
              pid: p.child.pid,
              exe: EXE[p.name] ?? p.name,
            },
          ]
        : [],
    ),
  });
}

export async function bringDown(stack: Stack): Promise<void> {
  await stopProcesses(stack.procs);
  removeState(stack.dataDir);
  log.ok("Everything stopped");
}
