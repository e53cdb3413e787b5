/**
 * The runner as a process: `tsx src/main.ts` with a real Redis queue, a real git checkout from a bare
 * repo and the fake server. Uses the Docker executor when DOCKER_HOST is set, the fake one otherwise.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRedis, enqueueJobs, jobsQueue } from "@minilab/queue";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeServer } from "./fake-server.ts";

const REDIS_URL = process.env["REDIS_URL"];
if (!REDIS_URL) console.warn("runner-process.test: REDIS_URL is unset, skipping the runner process test");

describe.skipIf(!REDIS_URL)("runner process", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it("takes a queued job, runs it, finishes it, and stops on SIGTERM", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "minilab-runner-"));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const git = (cwd: string, ...args: string[]): string =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
        cwd,
        encoding: "utf8",
      }).trim();
    git(root, "init", "-q", "--bare", "-b", "main", "repo.git");
    git(root, "init", "-q", "-b", "main", "src");
    execFileSync("sh", ["-c", "echo from-repo > file.txt"], { cwd: path.join(root, "src") });
    git(path.join(root, "src"), "add", ".");
    git(path.join(root, "src"), "commit", "-q", "-m", "init");
    git(path.join(root, "src"), "push", "-q", path.join(root, "repo.git"), "main");
    const sha = git(path.join(root, "src"), "rev-parse", "HEAD");

    const server = await startFakeServer();
    cleanups.push(() => server.close());
    const docker = Boolean(process.env["DOCKER_HOST"]);
    server.specs.set(11, {
      id: 11,
      token: "glcbt-process-test-token",
      name: "build",
      stage: "test",
      image: "",
      beforeScript: [],
      script: docker ? ["cat file.txt", "echo hi $V"] : ["echo hi $V"],
      afterScript: ["echo after"],
      variables: [{ key: "V", value: "there", masked: false }],
      git: { repoUrl: `file://${root}/repo.git`, sha, ref: "main", projectDir: "/builds/ns/p" },
      timeoutSeconds: 30,
    });

    const prefix = `minilab-test-${process.pid}-${Date.now()}`;
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "apps/runner/src/main.ts"], {
      cwd: path.resolve(import.meta.dirname, "../../.."),
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        MINILAB_URL: server.url,
        MINILAB_RUNNER_TOKEN: "runner-token",
        MINILAB_QUEUE_PREFIX: prefix,
        MINILAB_RUNNER_EXECUTOR: docker ? "docker" : "fake",
        MINILAB_RUNNER_NETWORK_MODE: "none",
        MINILAB_RUNNER_BUILDS_DIR: path.join(root, "builds"),
      },
    });
    let stdout = "";
    child.stdout?.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (stdout += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    cleanups.push(async () => child.kill("SIGKILL"));

    const redis = createRedis(REDIS_URL!);
    const queue = jobsQueue(redis, { prefix });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
    });
    await enqueueJobs(queue, [11, 12]); // 12 has no spec: the claim answers 409 and it is dropped

    for (let i = 0; i < 300 && server.finishes.length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(server.finishes, stdout).toEqual([{ jobId: 11, body: { state: "success", exitCode: 0 } }]);
    const log = server.log.toString();
    expect(log).toContain("hi there");
    expect(log).toContain("after");
    if (docker) expect(log).toContain("from-repo");

    await new Promise((r) => setTimeout(r, 300)); // let job 12's claim happen
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toContain("job 11 (build): claimed");
    expect(stdout).toContain("job 12: already claimed or canceled, dropped");
    expect(stdout).toContain("stopped");
  });
});
