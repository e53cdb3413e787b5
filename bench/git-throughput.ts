/**
 * Clone, fetch and push of a repository of real size (10,500 commits, ~60 MB pack) through
 *   (a) minilab's smart HTTP (packages/git advertiseRefs/serviceRpc, as the web routes use them),
 *   (b) `git http-backend` as CGI behind a minimal node:http server,
 *   (c) `file://`,
 * in one run. Prints MB/s, the ratio to http-backend and the peak RSS (VmHWM) of each server
 * process. Goal: minilab ≥ 0.9× http-backend.
 *
 * Run: `npx tsx bench/git-throughput.ts` (env BENCH_CACHE_DIR for the generated repository,
 * BENCH_RUNS = repetitions per operation, median reported; default 3).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { initBareRepo } from "@minilab/git";
import { generatedRepo } from "./lib/fast-import-repo.ts";

const run = promisify(execFile);
const CACHE = process.env["BENCH_CACHE_DIR"] ?? path.join(tmpdir(), "minilab-bench-cache");
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
};

const git = (args: string[], cwd?: string) =>
  run("git", args, { cwd, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 });

async function packBytes(dir: string): Promise<number> {
  const packs = path.join(dir, "objects", "pack");
  let n = 0;
  for (const f of await readdir(packs)) if (f.endsWith(".pack")) n += (await stat(path.join(packs, f))).size;
  return n;
}

async function memKb(pid: number): Promise<{ rss: number; hwm: number }> {
  const s = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

async function startServer(kind: string, root: string): Promise<{ url: string; child: ChildProcess }> {
  const script = path.join(import.meta.dirname, "lib", "git-servers.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, kind, root], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (b: Buffer) => resolve(b.toString().trim()));
    child.once("exit", (c) => reject(new Error(`${kind} server exited ${c}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

// ---- data -------------------------------------------------------------------------------------
const source = await generatedRepo(CACHE, {
  commits: 10_500,
  bytesPerCommit: 8192,
  files: 400,
  baseAt: 10_000,
});
const work = await mkdtemp(path.join(tmpdir(), "minilab-throughput-"));
const root = path.join(work, "root");
await mkdir(path.join(root, "bench"), { recursive: true });
await symlink(source, path.join(root, "bench", "full.git"));
// A clone that has the first 10,000 commits: the starting point of every fetch.
const baseClone = path.join(work, "base.git");
await git(["clone", "-q", "--bare", "--single-branch", "--branch", "base", `file://${source}`, baseClone]);
const fullPack = await packBytes(source);
const { stdout: count } = await git(["-C", source, "rev-list", "--count", "main"]);
const fetchPack = await (async () => {
  const d = path.join(work, "probe.git");
  await cp(baseClone, d, { recursive: true });
  await git(["-C", d, "fetch", "-q", `file://${source}`, "main:refs/heads/main"]);
  const n = (await packBytes(d)) - (await packBytes(baseClone));
  await rm(d, { recursive: true, force: true });
  return n;
})();
console.log(
  `repository: ${count.trim()} commits, pack ${(fullPack / 1e6).toFixed(1)} MB; fetch of 500 commits ≈ ${(fetchPack / 1e6).toFixed(1)} MB; ${RUNS} runs each, median\n`,
);

// ---- operations -------------------------------------------------------------------------------
let seq = 0;
async function ops(base: string): Promise<Record<string, number>> {
  const clone: number[] = [];
  const fetch: number[] = [];
  const push: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = path.join(work, `c${seq++}.git`);
    clone.push(await timed(() => git(["clone", "-q", "--bare", `${base}/bench/full.git`, c])));
    await rm(c, { recursive: true, force: true });

    const f = path.join(work, `f${seq++}.git`);
    await cp(baseClone, f, { recursive: true });
    fetch.push(
      await timed(() => git(["-C", f, "fetch", "-q", `${base}/bench/full.git`, "main:refs/heads/main"])),
    );
    await rm(f, { recursive: true, force: true });

    const name = `push${seq++}`;
    await initBareRepo(path.join(root, "bench", `${name}.git`));
    push.push(await timed(() => git(["-C", source, "push", "-q", `${base}/bench/${name}.git`, "main"])));
    await rm(path.join(root, "bench", `${name}.git`), { recursive: true, force: true });
  }
  return { clone: median(clone), fetch: median(fetch), push: median(push) };
}

const results: { name: string; t: Record<string, number>; mem?: { rss: number; hwm: number } }[] = [];
for (const kind of ["http-backend", "minilab"]) {
  const s = await startServer(kind, root);
  try {
    const t = await ops(s.url);
    results.push({
      name: kind === "minilab" ? "minilab (packages/git)" : "git http-backend (CGI)",
      t,
      mem: await memKb(s.child.pid ?? 0),
    });
  } finally {
    s.child.kill();
  }
}
results.push({ name: "file://", t: await ops(`file://${root}`) });

// ---- report -----------------------------------------------------------------------------------
const bytes: Record<string, number> = { clone: fullPack, fetch: fetchPack, push: fullPack };
const ref = results[0]!.t;
const mbps = (op: string, s: number) => bytes[op]! / 1e6 / s;
console.log("server                     op      seconds    MB/s   × http-backend   server peak RSS");
for (const r of results) {
  for (const op of ["clone", "fetch", "push"]) {
    const s = r.t[op]!;
    const ratio = ref[op]! / s;
    const mem =
      r.mem && op === "clone"
        ? `${(r.mem.hwm / 1024).toFixed(0)} MB (now ${(r.mem.rss / 1024).toFixed(0)} MB)`
        : "";
    console.log(
      `${r.name.padEnd(27)}${op.padEnd(6)}${s.toFixed(2).padStart(9)}${mbps(op, s).toFixed(1).padStart(8)}${ratio.toFixed(2).padStart(17)}   ${mem}`,
    );
  }
}
await rm(work, { recursive: true, force: true });
