/**
 * The runner as `npm start` runs it (the esbuild bundle with its V8 flags, packages/stack's
 * runner-bundle.ts) streaming a 50 MB job log through the Docker executor to the fake server: every
 * byte arrives, in order, and the runner process never holds more than 150 MB resident (peak RSS,
 * VmHWM) — the goal of issue 6. Needs REDIS_URL and DOCKER_HOST.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRedis, enqueueJobs, jobsQueue } from "@minilab/queue";
import { afterAll, describe, expect, it } from "vitest";
import { bundleRunner, runnerArgs, RUNNER_BUNDLE } from "../../../packages/stack/src/runner-bundle.ts";
import { startFakeServer } from "./fake-server.ts";

const REDIS_URL = process.env["REDIS_URL"];
const DOCKER = Boolean(process.env["DOCKER_HOST"]);
const MB = 1024 * 1024;
const LINE =
  "minilab log line ....................................................................................";

describe.skipIf(!REDIS_URL || !DOCKER)("runner memory", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it("streams a 50 MB log completely with a peak RSS of at most 150 MB", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "minilab-runner-mem-"));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const bundle = await bundleRunner(path.join(path.dirname(RUNNER_BUNDLE), `test-${process.pid}.mjs`));
    cleanups.push(() => rm(bundle, { force: true }));
    const server = await startFakeServer();
    cleanups.push(() => server.close());
    server.specs.set(21, {
      id: 21,
      token: "glcbt-memory-test-token",
      name: "loud",
      stage: "test",
      image: "minilab/busybox:latest",
      beforeScript: [],
      script: [`yes '${LINE}' | head -c ${50 * MB}`],
      afterScript: [],
      variables: [{ key: "GIT_STRATEGY", value: "none", masked: false }],
      git: { repoUrl: "", sha: "0".repeat(40), ref: "main", projectDir: "/builds/ns/p" },
      timeoutSeconds: 600,
    });
    const prefix = `minilab-test-mem-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, runnerArgs(bundle), {
      cwd: path.resolve(import.meta.dirname, "../../.."),
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        MINILAB_URL: server.url,
        MINILAB_RUNNER_TOKEN: "runner-token",
        MINILAB_QUEUE_PREFIX: prefix,
        MINILAB_RUNNER_EXECUTOR: "docker",
        MINILAB_RUNNER_NETWORK_MODE: "none",
        MINILAB_RUNNER_CONCURRENCY: "1",
        MINILAB_RUNNER_BUILDS_DIR: path.join(root, "builds"),
        MINILAB_RUNNER_CACHE_DIR: path.join(root, "cache"),
        MINILAB_RUNNER_OUTPUT_LIMIT: String(64 * 1024), // KB: room for the whole log
      },
    });
    let stdout = "";
    child.stdout?.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (stdout += b.toString()));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    cleanups.push(async () => {
      child.kill("SIGKILL");
      await exited;
    });
    const redis = createRedis(REDIS_URL!);
    const queue = jobsQueue(redis, { prefix });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
    });
    await enqueueJobs(queue, [21]);
    for (let i = 0; i < 2400 && server.finishes.length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    const status = await readFile(`/proc/${child.pid}/status`, "utf8");
    const peakMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;

    expect(server.finishes, stdout).toEqual([{ jobId: 21, body: { state: "success", exitCode: 0 } }]);
    const log = server.log;
    const start = log.indexOf(`${LINE}\n`); // not the echoed command, which quotes LINE
    const body = log.subarray(start, start + 50 * MB);
    const want = createHash("sha256");
    for (let n = 0; n < 50 * MB; n += LINE.length + 1)
      want.update(`${LINE}\n`.slice(0, Math.min(LINE.length + 1, 50 * MB - n)));
    expect(createHash("sha256").update(body).digest("hex")).toBe(want.digest("hex"));
    expect(peakMb).toBeLessThanOrEqual(150);
  }, 300_000);
});
