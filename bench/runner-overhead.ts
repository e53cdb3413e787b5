/**
 * Runner overhead per job, beside bare `docker run` of the same image in the same run, and the
 * runner's memory while it streams a 50 MB log.
 *
 * A real runner process (apps/runner/src/main.ts, Docker executor, network none) takes jobs from a
 * real Redis queue and talks to an in-process fake server (apps/runner/test/fake-server.ts) behind a
 * proxy that timestamps claim and finish. Container start/die times come from the engine's event
 * stream, so both sides are measured with the same clock:
 *   - claim → container running   (runner: prepare, checkout-less workdir, create, attach, start)
 *   - container exit → reported   (runner: wait, after steps, log flush, finish PUT)
 * against `docker run --rm` of the same image: CLI start → container running, container exit → CLI
 * returned. Peak RSS of the runner (VmHWM, reset through /proc/<pid>/clear_refs just before) is read
 * from /proc while a job prints 50 MB.
 *
 * The runner starts the way `npm start` starts it (the esbuild bundle, packages/stack/src/runner-bundle.ts);
 * BENCH_RUNNER=tsx starts `node --import tsx <BENCH_RUNNER_ENTRY or apps/runner/src/main.ts>` instead,
 * and BENCH_NODE_FLAGS (space-separated) replaces the bundle's V8 flags, for comparisons in one run.
 *
 * Needs REDIS_URL and DOCKER_HOST (as `npm run bench -- runner-overhead` provides).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import type { JobSpec } from "@minilab/contracts";
import { createRedis, enqueueJobs, jobsQueue } from "@minilab/queue";
import { startFakeServer } from "../apps/runner/test/fake-server.ts";
import { bundleRunner, RUNNER_BUNDLE, RUNNER_NODE_FLAGS } from "../packages/stack/src/runner-bundle.ts";

const run = promisify(execFile);
const N = Number(process.env["BENCH_JOBS"] ?? 10);
const IMAGE = "minilab/busybox:latest";
const LOG_MB = 50;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number): string => `${x.toFixed(0)} ms`;

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through \`npm run bench -- runner-overhead\``);
  return v;
}

/** Engine events (start/die) by container id, in ms since the epoch. */
async function engineEvents(
  docker: Docker,
): Promise<{ events: Map<string, { start?: number; die?: number; job?: string }>; stop(): void }> {
  const events = new Map<string, { start?: number; die?: number; job?: string }>();
  const stream = (await docker.getEvents({
    filters: { type: ["container"], event: ["start", "die"] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  let buf = "";
  stream.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) !== -1) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const e = JSON.parse(line) as {
        id: string;
        status: string;
        timeNano: number;
        Actor?: { Attributes?: Record<string, string> };
      };
      const rec = events.get(e.id) ?? {};
      const at = e.timeNano / 1e6;
      if (e.status === "start") rec.start = at;
      if (e.status === "die") rec.die = at;
      rec.job ??= e.Actor?.Attributes?.["minilab.job-id"];
      events.set(e.id, rec);
    }
  });
  return { events, stop: () => stream.destroy() };
}

async function main(): Promise<void> {
  const redisUrl = need("REDIS_URL");
  need("DOCKER_HOST");
  const docker = new Docker();
  const root = await mkdtemp(path.join(os.tmpdir(), "minilab-bench-runner-"));
  const fake = await startFakeServer();
  // Timestamps of claim and finish, taken in front of the fake server.
  const claimed = new Map<number, number>();
  const finished = new Map<number, number>();
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "";
      const claim = /^\/api\/v4\/jobs\/(\d+)\/claim$/.exec(url);
      if (claim) claimed.set(Number(claim[1]), Date.now());
      const fin = /^\/api\/v4\/jobs\/(\d+)$/.exec(url);
      if (fin && req.method === "PUT") finished.set(Number(fin[1]), Date.now());
      void fetch(`${fake.url}${url}`, {
        method: req.method ?? "GET",
        headers: req.headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      }).then(async (r) => {
        const headers: Record<string, string> = {};
        r.headers.forEach((v, k) => (headers[k] = v));
        delete headers["content-length"];
        delete headers["transfer-encoding"];
        res.writeHead(r.status, headers).end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const spec = (id: number, script: string[]): JobSpec => ({
    id,
    token: `glcbt-bench-${id}`,
    name: `bench-${id}`,
    stage: "test",
    image: IMAGE,
    beforeScript: [],
    script,
    afterScript: [],
    variables: [{ key: "GIT_STRATEGY", value: "none", masked: false }],
    git: { repoUrl: "", sha: "0".repeat(40), ref: "main", projectDir: "/builds/bench/p" },
    timeoutSeconds: 600,
  });
  for (let i = 1; i <= N; i++) fake.specs.set(i, spec(i, ["true"]));
  const bigId = 1000;
  // 50 MB of 100-byte lines, produced inside the container.
  fake.specs.set(
    bigId,
    spec(bigId, [
      `yes 'minilab log line .......................................................................................' | head -c ${LOG_MB * 1024 * 1024}`,
    ]),
  );

  const prefix = `bench-runner-${process.pid}`;
  // Beside the real bundle: its external imports resolve from the repository's node_modules.
  const bundleFile = path.join(path.dirname(RUNNER_BUNDLE), `bench-${process.pid}.mjs`);
  const mode = process.env["BENCH_RUNNER"] === "tsx" ? "tsx" : "bundle";
  const flags = process.env["BENCH_NODE_FLAGS"]?.split(" ").filter(Boolean) ?? RUNNER_NODE_FLAGS;
  const runnerArgs =
    mode === "tsx"
      ? [...flags, "--import", "tsx", process.env["BENCH_RUNNER_ENTRY"] ?? "apps/runner/src/main.ts"]
      : [...flags, await bundleRunner(bundleFile)];
  const child = spawn(process.execPath, runnerArgs, {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: {
      ...process.env,
      MINILAB_URL: proxyUrl,
      MINILAB_RUNNER_TOKEN: "bench",
      MINILAB_QUEUE_PREFIX: prefix,
      MINILAB_RUNNER_EXECUTOR: "docker",
      MINILAB_RUNNER_NETWORK_MODE: "none",
      MINILAB_RUNNER_CONCURRENCY: "1",
      MINILAB_RUNNER_BUILDS_DIR: path.join(root, "builds"),
      MINILAB_RUNNER_CACHE_DIR: path.join(root, "cache"),
      MINILAB_RUNNER_NAME: "bench-runner",
      // Room for the whole 50 MB log (KB).
      MINILAB_RUNNER_OUTPUT_LIMIT: String(64 * 1024),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const redis = createRedis(redisUrl);
  const queue = jobsQueue(redis, { prefix });
  const ev = await engineEvents(docker);
  const waitFinish = async (id: number): Promise<void> => {
    for (let i = 0; i < 6000 && !finished.has(id); i++) await new Promise((r) => setTimeout(r, 50));
    if (!finished.has(id)) throw new Error(`job ${id} did not finish; runner output:\n${out}`);
  };
  try {
    await new Promise((r) => setTimeout(r, 3000)); // runner start-up
    // Warm-up job (image cache, first container), not counted.
    fake.specs.set(999, spec(999, ["true"]));
    fake.log = Buffer.alloc(0);
    await enqueueJobs(queue, [999]);
    await waitFinish(999);

    const toRunning: number[] = [];
    const toReported: number[] = [];
    for (let i = 1; i <= N; i++) {
      fake.log = Buffer.alloc(0); // the fake server keeps one log: one job at a time
      await enqueueJobs(queue, [i]);
      await waitFinish(i);
      await new Promise((r) => setTimeout(r, 200)); // let the die event arrive
      const c = [...ev.events.values()].find((e) => e.job === String(i) && e.start && e.die);
      if (!c) throw new Error(`no engine events for job ${i}`);
      toRunning.push(c.start! - claimed.get(i)!);
      toReported.push(finished.get(i)! - c.die!);
    }

    const bareStart: number[] = [];
    const bareEnd: number[] = [];
    for (let i = 0; i < N; i++) {
      const name = `minilab-bench-bare-${process.pid}-${i}`;
      const t0 = Date.now();
      await run("docker", ["run", "--rm", "--network", "none", "--name", name, IMAGE, "true"]);
      const t1 = Date.now();
      await new Promise((r) => setTimeout(r, 200));
      const c = [...ev.events.entries()].find(
        ([, e]) => e.start && e.start >= t0 && e.die && e.die <= t1 + 50 && !e.job,
      );
      if (!c) continue;
      ev.events.delete(c[0]);
      bareStart.push(c[1].start! - t0);
      bareEnd.push(t1 - c[1].die!);
    }

    // RSS while streaming a 50 MB log: sample VmRSS, read the peak (VmHWM) at the end.
    const status = async (): Promise<{ rss: number; hwm: number }> => {
      const text = await readFile(`/proc/${child.pid}/status`, "utf8");
      const get = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) / 1024;
      return { rss: get("VmRSS"), hwm: get("VmHWM") };
    };
    const before = await status();
    // Peak of the streaming phase alone: "5" resets VmHWM to the current RSS (proc(5), clear_refs).
    await writeFile(`/proc/${child.pid}/clear_refs`, "5").catch(() => undefined);
    let maxSampled = 0;
    const sampler = setInterval(
      () => void status().then((s) => (maxSampled = Math.max(maxSampled, s.rss))),
      100,
    );
    const t0 = Date.now();
    fake.log = Buffer.alloc(0);
    await enqueueJobs(queue, [bigId]);
    await waitFinish(bigId);
    clearInterval(sampler);
    const after = await status();
    const stored = fake.logSize;

    console.log(`runner: ${mode} ${runnerArgs.slice(0, -1).join(" ")}`);
    console.log(`runner-overhead (${N} jobs of \`true\` in ${IMAGE}, sequential, median):`);
    console.log(`  runner: claim → container running      ${ms(median(toRunning))}`);
    console.log(`  runner: container exit → reported      ${ms(median(toReported))}`);
    console.log(`  bare docker run: CLI → running         ${ms(median(bareStart))}`);
    console.log(`  bare docker run: exit → CLI returned   ${ms(median(bareEnd))}`);
    console.log(
      `  50 MB log: ${(stored / 1024 / 1024).toFixed(1)} MB stored in ${((Date.now() - t0) / 1000).toFixed(1)} s; runner RSS ${before.rss.toFixed(0)} MB before, ` +
        `max sampled ${maxSampled.toFixed(0)} MB, peak (VmHWM) ${after.hwm.toFixed(0)} MB (goal ≤ 150 MB)`,
    );
  } finally {
    ev.stop();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await redis.quit();
    proxy.close();
    await fake.close();
    await rm(root, { recursive: true, force: true });
    await rm(bundleFile, { force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
