#!/usr/bin/env node
// Entry point behind `npm start|test|bench|run minilab`. Plain Node ESM with no npm dependencies,
// because it runs before node_modules exists: it installs what the machine lacks (Debian packages,
// npm packages, the generated Prisma client) and then hands over to the TypeScript orchestrator in
// packages/stack, forwarding signals and the exit code.
//
// Progress goes to stderr so `npm run -s minilab -- …` keeps stdout clean JSON.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [command = "start", ...args] = process.argv.slice(2);
const COMMANDS = new Set(["start", "test", "bench", "cli", "setup", "migrate"]);

const say = (msg) => process.stderr.write(`${msg}\n`);
const step = (msg) => say(`▸ ${msg}`);
const ok = (msg) => say(`✓ ${msg}`);
const die = (msg, code = 1) => {
  say(`✗ ${msg}`);
  process.exit(code);
};

if (!COMMANDS.has(command))
  die(`unknown command "${command}" (expected one of: ${[...COMMANDS].join(", ")})`, 2);

const major = Number(process.versions.node.split(".")[0]);
if (major < 20) die(`Node ${process.versions.node} is too old: minilab needs Node 20 or newer`);

/** Debian packages each command needs; services given by URL in the environment need no local server. */
function wantedPackages() {
  if (command === "cli" || command === "migrate" || command === "setup") return [];
  const env = process.env;
  const pkgs = ["git", "busybox-static", "debootstrap"];
  if (!env.DATABASE_URL) pkgs.push("postgresql");
  if (!env.REDIS_URL) pkgs.push("redis-server");
  if (!env.DOCKER_HOST) pkgs.push("docker.io");
  if (command === "test") pkgs.push("chromium", "docker-compose");
  // bench/registry.ts compares minilab's container registry with distribution's `docker-registry`.
  if (command === "bench") pkgs.push("docker-registry");
  return pkgs;
}

function isInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

function ensureDebianPackages() {
  const wanted = wantedPackages();
  if (wanted.length === 0) return;
  if (spawnSync("dpkg-query", ["--version"]).status !== 0) {
    say(
      `! dpkg-query not found: not a Debian-like system; make sure these are installed: ${wanted.join(" ")}`,
    );
    return;
  }
  const missing = wanted.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  const install = ["apt-get", "install", "-y", "--no-install-recommends", ...missing];
  if (process.getuid?.() !== 0) {
    die(`missing system packages. Install them with:\n    sudo apt-get update && sudo ${install.join(" ")}`);
  }
  step(`Installing system packages: ${missing.join(" ")} (apt-get, this can take a few minutes)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const cmd of [
    ["apt-get", "update", "-q"],
    ["apt-get", "install", "-q", ...install.slice(2)],
  ]) {
    const r = spawnSync(cmd[0], cmd.slice(1), { env, stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) die(`\`${cmd.join(" ")}\` failed (exit ${r.status ?? r.signal})`);
  }
  ok(`Installed ${missing.join(" ")}`);
}

function hashFiles(files) {
  const h = createHash("sha256");
  for (const f of files) {
    // Relative: a checkout that moved (or a second clone) with the same files needs no reinstall.
    h.update(path.relative(ROOT, f));
    h.update(existsSync(f) ? readFileSync(f) : "<missing>");
  }
  return h.digest("hex");
}

function workspaceManifests() {
  const out = [path.join(ROOT, "package.json")];
  for (const group of ["apps", "packages"]) {
    const dir = path.join(ROOT, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const manifest = path.join(dir, name, "package.json");
      if (existsSync(manifest)) out.push(manifest);
    }
  }
  return out;
}

const readStamp = (file) => (existsSync(file) ? readFileSync(file, "utf8").trim() : "");

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], ...opts });
  if (r.status !== 0) die(`\`${[cmd, ...cmdArgs].join(" ")}\` failed (exit ${r.status ?? r.signal})`);
}

/** True when node_modules matches the lock and manifests (our stamp, or npm's own hidden lockfile). */
function nodeModulesUpToDate(stampFile, want) {
  if (!existsSync(path.join(ROOT, "node_modules"))) return false;
  if (readStamp(stampFile) === want) return true;
  // Installed by hand (`npm install …`): npm's hidden lockfile, written after the install, being newer
  // than package-lock.json and every manifest is what npm itself takes as "up to date".
  const hidden = path.join(ROOT, "node_modules", ".package-lock.json");
  const lock = path.join(ROOT, "package-lock.json");
  if (!existsSync(hidden) || !existsSync(lock)) return false;
  const installed = statSync(hidden).mtimeMs;
  if (![lock, ...workspaceManifests()].every((f) => statSync(f).mtimeMs <= installed)) return false;
  writeFileSync(stampFile, `${want}\n`);
  return true;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * One install at a time per checkout: a second `npm start`/`npm test` started meanwhile waits for the
 * first one's `npm ci` instead of running its own (two at once empty each other's node_modules).
 */
function withInstallLock(fn) {
  const lockDir = path.join(ROOT, ".minilab", "npm-install.lock");
  mkdirSync(path.dirname(lockDir), { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(path.join(lockDir, "pid"), "utf8"));
      } catch {
        // Being created right now.
      }
      let alive = true;
      try {
        if (owner > 0) process.kill(owner, 0);
      } catch {
        alive = false;
      }
      if (!alive || waited > 15 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      else {
        if (waited === 0) step(`Waiting for another install (pid ${owner || "?"}) to finish…`);
        sleep(500);
      }
    }
  }
  writeFileSync(path.join(lockDir, "pid"), String(process.pid));
  try {
    fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function ensureNodeModules() {
  const lock = path.join(ROOT, "package-lock.json");
  const stampFile = path.join(ROOT, "node_modules", ".minilab-install-stamp");
  const want = hashFiles([lock, ...workspaceManifests()]);
  if (nodeModulesUpToDate(stampFile, want)) return;
  withInstallLock(() => {
    if (nodeModulesUpToDate(stampFile, want)) return; // the install we waited for did it
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const npmArgs = existsSync(lock)
      ? ["ci", "--no-audit", "--no-fund"]
      : ["install", "--no-audit", "--no-fund"];
    step(`Installing npm packages (npm ${npmArgs[0]})…`);
    const t = Date.now();
    // stdout of npm goes to stderr: keep our stdout for the command's own output.
    run(npm, npmArgs, { stdio: ["ignore", 2, 2] });
    mkdirSync(path.dirname(stampFile), { recursive: true });
    // Recompute: `npm install` without a lock writes one.
    writeFileSync(stampFile, `${hashFiles([lock, ...workspaceManifests()])}\n`);
    ok(`npm packages installed (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  });
}

function ensurePrismaClient() {
  const schema = path.join(ROOT, "prisma", "schema.prisma");
  const generated = path.join(ROOT, "packages", "db", "src", "generated");
  const stampFile = path.join(ROOT, "node_modules", ".minilab-prisma-stamp");
  const want = hashFiles([schema, path.join(ROOT, "prisma.config.ts"), path.join(ROOT, "package-lock.json")]);
  if (existsSync(path.join(generated, "client.ts")) && readStamp(stampFile) === want) return;
  step("Generating the Prisma client…");
  // Prisma would otherwise try to download a schema-engine binary from a non-npm host; generate
  // does not need it (see tooling/schema-engine-stub). Never set this for migrate commands.
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(ROOT, "tooling", "schema-engine-stub"),
  };
  run(process.execPath, [path.join(ROOT, "node_modules", "prisma", "build", "index.js"), "generate"], {
    env,
    stdio: ["ignore", 2, 2],
  });
  writeFileSync(stampFile, `${want}\n`);
  ok("Prisma client generated");
}

/** Runs the orchestrator; it owns all services, so we only relay signals and its exit status. */
function handOver() {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "packages", "stack", "src", "main.ts"), command, ...args],
    { cwd: ROOT, stdio: "inherit" },
  );
  // Ctrl-C reaches the whole foreground process group, so the child usually has the signal already;
  // forwarding covers `kill <this pid>`. The orchestrator treats repeated signals as one.
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(sig, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    });
  }
  child.on("exit", (code, signal) => {
    process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1));
  });
}

ensureDebianPackages();
ensureNodeModules();
ensurePrismaClient();
handOver();
