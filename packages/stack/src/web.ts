/**
 * The Next.js web app: `next build` when its sources changed since the last build (a stamp in
 * apps/web/.next, so a second start takes seconds), then `next start`, started through next's own
 * bin script so the pid we stop is the server itself.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { childEnv, REPO_ROOT } from "./config.ts";
import { log, since } from "./log.ts";
import { launch, run, type ManagedProcess } from "./proc.ts";
import { canConnect, waitFor } from "./ports.ts";
import { bundleRunner, runnerArgs } from "./runner-bundle.ts";

const NEXT_BIN = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
const WEB_DIR = path.join(REPO_ROOT, "apps", "web");
// Next's distDir (next.config.ts reads the same variable), so separate builds keep separate stamps.
const DIST_DIR = process.env["MINILAB_NEXT_DIST_DIR"] ?? ".next";
const STAMP = path.join(WEB_DIR, DIST_DIR, "minilab-build-stamp");
const SKIP = new Set(["node_modules", ".turbo", "next-env.d.ts", "test", "generated"]);

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    // `.next*`: build output, including other builds kept beside it under their own distDir.
    if (SKIP.has(e.name) || e.name.startsWith(".next")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
}

/** Hash of everything the web build depends on: apps/web, packages/*\/src, the lock and schema. */
export function webSourceHash(): string {
  const files: string[] = [];
  walk(WEB_DIR, files);
  const pkgs = path.join(REPO_ROOT, "packages");
  // packages/stack is the orchestrator itself; the web app never imports it.
  for (const p of readdirSync(pkgs)
    .sort()
    .filter((name) => name !== "stack")) {
    walk(path.join(pkgs, p, "src"), files);
    files.push(path.join(pkgs, p, "package.json"));
  }
  files.push(path.join(REPO_ROOT, "package-lock.json"), path.join(REPO_ROOT, "prisma", "schema.prisma"));
  const h = createHash("sha256");
  for (const f of files.sort()) {
    h.update(`${path.relative(REPO_ROOT, f)}\0`);
    if (existsSync(f)) h.update(readFileSync(f));
  }
  return h.digest("hex");
}

export interface WebEnv {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  externalUrl: string;
  port: number;
}

const webEnv = (o: WebEnv): NodeJS.ProcessEnv =>
  childEnv({
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    MINILAB_DATA_DIR: o.dataDir,
    EXTERNAL_URL: o.externalUrl,
    PORT: String(o.port),
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  });

export async function buildWeb(o: WebEnv, logDir: string): Promise<void> {
  const hash = webSourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === hash) {
    log.ok("Web app build is up to date");
    return;
  }
  const t0 = Date.now();
  log.step("Building the web app (next build)…");
  const r = await run(process.execPath, [NEXT_BIN, "build", WEB_DIR], { env: webEnv(o), cwd: REPO_ROOT });
  writeFileSync(path.join(logDir, "web-build.log"), r.output);
  if (r.code !== 0) {
    const tail = r.output.trim().split("\n").slice(-40).join("\n");
    throw new Error(
      `next build failed (exit ${r.code}); full log in ${path.join(logDir, "web-build.log")}:\n${tail}`,
    );
  }
  writeFileSync(STAMP, `${hash}\n`);
  log.ok(`Web app built (${since(t0)})`);
}

export async function startWeb(
  o: WebEnv & { host: string },
  logDir: string,
): Promise<{ proc: ManagedProcess; url: string }> {
  const t0 = Date.now();
  if (await canConnect("127.0.0.1", o.port, 500))
    throw new Error(`port ${o.port} is already in use: stop what listens there or set PORT`);
  const proc = launch({
    name: "web",
    command: process.execPath,
    args: [NEXT_BIN, "start", WEB_DIR, "-p", String(o.port), "-H", o.host],
    env: webEnv(o),
    cwd: REPO_ROOT,
    logFile: path.join(logDir, "web.log"),
  });
  const url = `http://127.0.0.1:${o.port}`;
  await waitFor(
    "web app (GET /-/health)",
    async () => (await fetch(`${url}/-/health`, { signal: AbortSignal.timeout(2000) })).status === 200,
    { alive: () => proc.exited(), timeoutMs: 60_000 },
  );
  log.ok(`Web app ready (${since(t0)})`);
  return { proc, url };
}

export interface RunnerEnv {
  webUrl: string;
  token: string;
  redisUrl: string;
  dockerHost: string;
  dataDir: string;
  /** Docker network mode for job containers; tests use "none" so jobs cannot reach the network. */
  networkMode: string | undefined;
}

/** Bundles the runner (./runner-bundle.ts: compiled JS idles ≈ 40 MB below `tsx`) and starts it. */
export async function startRunner(o: RunnerEnv, logDir: string): Promise<ManagedProcess> {
  const main = await bundleRunner();
  const proc = launch({
    name: "runner",
    command: process.execPath,
    args: runnerArgs(main),
    cwd: REPO_ROOT,
    env: childEnv({
      MINILAB_URL: o.webUrl,
      MINILAB_RUNNER_TOKEN: o.token,
      REDIS_URL: o.redisUrl,
      DOCKER_HOST: o.dockerHost,
      MINILAB_RUNNER_BUILDS_DIR: path.join(o.dataDir, "builds"),
      // Per stack, like builds: two stacks on one host must not share cache archives.
      MINILAB_RUNNER_CACHE_DIR: path.join(o.dataDir, "cache"),
      MINILAB_RUNNER_NETWORK_MODE: o.networkMode,
    }),
    logFile: path.join(logDir, "runner.log"),
  });
  log.ok("Runner started");
  return proc;
}
