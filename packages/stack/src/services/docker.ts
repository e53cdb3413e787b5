/**
 * A Docker engine owned by minilab (`dockerd` as a child), or one the environment already has.
 *
 * Unix socket paths must stay under ~100 bytes, so the socket and exec-root live in a short path
 * derived from a hash of the data dir, while images and containers stay in `<dataDir>/docker`.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { log, since } from "../log.ts";
import { launch, type ManagedProcess } from "../proc.ts";
import { waitFor } from "../ports.ts";
import { isRoot } from "./users.ts";

/** GET /_ping on a DOCKER_HOST (`unix:///path` or `tcp://host:port`). */
export function pingDocker(dockerHost: string): Promise<boolean> {
  const u = new URL(dockerHost);
  const target =
    u.protocol === "unix:" ? { socketPath: u.pathname } : { host: u.hostname, port: Number(u.port || 2375) };
  return new Promise((resolve) => {
    const req = http.get({ ...target, path: "/_ping", timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

/** Whether some dockerd is already running on this host (it may own docker0 and its iptables chains). */
function otherDockerdRunning(): boolean {
  return readdirSync("/proc").some((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return path.basename(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "") === "dockerd";
    } catch {
      return false;
    }
  });
}

/** Short per-data-dir paths for dockerd's exec-root and socket (unix sockets: < 100 bytes). */
export function dockerRuntimePaths(dataDir: string): { execRoot: string; sock: string } {
  const id = createHash("sha256").update(dataDir).digest("hex").slice(0, 10);
  const runBase = existsSync("/run") ? "/run" : "/tmp";
  return { execRoot: path.join(runBase, `minilab-${id}`), sock: path.join(runBase, `minilab-${id}.sock`) };
}

/** Removes a stopped throwaway engine's exec-root and socket. */
export function removeDockerRuntime(dataDir: string): void {
  const { execRoot, sock } = dockerRuntimePaths(dataDir);
  rmSync(execRoot, { recursive: true, force: true });
  rmSync(sock, { force: true });
}

export const SYSTEM_DOCKER = "unix:///var/run/docker.sock";

export async function startDockerd(o: { dataDir: string }): Promise<{ proc: ManagedProcess; host: string }> {
  if (!isRoot())
    throw new Error("starting dockerd needs root; run as root or set DOCKER_HOST to a running Docker engine");
  const t0 = Date.now();
  const { execRoot, sock } = dockerRuntimePaths(o.dataDir);
  mkdirSync(path.join(o.dataDir, "docker"), { recursive: true });
  const args = [
    "--data-root",
    path.join(o.dataDir, "docker"),
    "--exec-root",
    execRoot,
    "--host",
    `unix://${sock}`,
    "--pidfile",
    path.join(o.dataDir, "dockerd.pid"),
  ];
  // Another running engine owns the default bridge and its iptables chains: stay out of its way.
  // Jobs then use network mode "none"; user-defined networks lose embedded DNS (no iptables), so
  // `services:` aliases do not resolve in that mode. A docker0 left behind by a stopped engine is
  // not a reason: dockerd adopts an existing docker0.
  if (otherDockerdRunning()) {
    log.info("another Docker engine runs here; starting ours without the default bridge");
    args.push("--bridge=none", "--iptables=false", "--ip6tables=false");
  }
  const proc = launch({
    name: "dockerd",
    command: "dockerd",
    args,
    logFile: path.join(o.dataDir, "logs", "dockerd.log"),
  });
  const host = `unix://${sock}`;
  await waitFor("dockerd", () => pingDocker(host), { alive: () => proc.exited(), timeoutMs: 90_000 });
  log.ok(`Docker engine ready at ${host} (${since(t0)})`);
  return { proc, host };
}

/**
 * One Docker Engine API call; resolves with status and body text. Used instead of the docker CLI so
 * an engine given by DOCKER_HOST needs no CLI on this machine.
 */
export function dockerApi(
  dockerHost: string,
  method: string,
  apiPath: string,
  body?: NodeJS.ReadableStream,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const u = new URL(dockerHost);
  const target =
    u.protocol === "unix:" ? { socketPath: u.pathname } : { host: u.hostname, port: Number(u.port || 2375) };
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method, path: apiPath, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    if (body) body.pipe(req);
    else req.end();
  });
}
