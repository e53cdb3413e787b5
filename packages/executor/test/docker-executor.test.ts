/**
 * DockerExecutor against the real engine (DOCKER_HOST) with the local image minilab/busybox:latest.
 * Network mode `none`: job containers in tests must never reach anything outside this machine.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerExecutor, JOB_ID_LABEL } from "../src/index.ts";
import type { ExecutionRequest, ExecutionResult } from "../src/index.ts";

const IMAGE = "minilab/busybox:latest";
const hasDocker = Boolean(process.env.DOCKER_HOST);
if (!hasDocker)
  console.warn("docker-executor.test: DOCKER_HOST is unset, skipping the Docker executor tests");

let jobSeq = 900_000 + Math.floor(Math.random() * 10_000);

describe.skipIf(!hasDocker)("DockerExecutor", () => {
  const docker = new Docker();
  const executor = new DockerExecutor({ docker, defaults: { networkMode: "none" } });
  let workdir = "";

  beforeAll(async () => {
    workdir = await mkdtemp(path.join(os.tmpdir(), "minilab-exec-"));
  });
  afterAll(async () => {
    await rm(workdir, { recursive: true, force: true });
  });

  async function run(
    over: Partial<ExecutionRequest>,
    signal = new AbortController().signal,
  ): Promise<{ result: ExecutionResult; log: string; jobId: number }> {
    const jobId = jobSeq++;
    const chunks: Buffer[] = [];
    const result = await executor.run(
      {
        jobId,
        image: IMAGE,
        beforeScript: [],
        script: [],
        afterScript: [],
        variables: [],
        hostWorkdir: workdir,
        projectDir: "/builds/group/project",
        timeoutSeconds: 30,
        ...over,
      },
      { onOutput: (c) => chunks.push(c), signal },
    );
    return { result, log: Buffer.concat(chunks).toString("utf8"), jobId };
  }

  async function containersOf(jobId: number): Promise<number> {
    const list = await docker.listContainers({ all: true, filters: { label: [`${JOB_ID_LABEL}=${jobId}`] } });
    return list.length;
  }

  it("reports a failing script with its exit code, runs after_script, removes containers", async () => {
    const { result, log, jobId } = await run({
      script: ["echo hello", "exit 3", "echo never"],
      afterScript: ["echo cleanup ran"],
    });
    expect(result).toEqual({ exitCode: 3, failureReason: "script_failure" });
    expect(log).toContain("\x1b[32;1m$ echo hello\x1b[0;m");
    expect(log).toMatch(/^hello$/m);
    expect(log).not.toMatch(/^never$/m);
    expect(log.indexOf("cleanup ran")).toBeGreaterThan(log.indexOf("hello"));
    expect(log).toMatch(/section_start:\d+:step_script/);
    expect(log).toMatch(/section_end:\d+:after_script/);
    expect(await containersOf(jobId)).toBe(0);
  });

  it("succeeds, passes variables, stderr, and runs in the mounted workdir", async () => {
    const { result, log } = await run({
      beforeScript: ['export GREETING="$GREETING world"'],
      script: ['echo "$GREETING from $(pwd)"', "echo to-stderr >&2", "echo artifact > out.txt"],
      variables: [
        { key: "GREETING", value: "ignored", masked: false },
        { key: "GREETING", value: "hi", masked: false },
      ],
    });
    expect(result).toEqual({ exitCode: 0 });
    expect(log).toContain("hi world from /builds/group/project");
    expect(log).toContain("to-stderr");
    expect(await readFile(path.join(workdir, "out.txt"), "utf8")).toBe("artifact\n");
  });

  it("kills the job on timeout and still runs after_script", async () => {
    const started = Date.now();
    const { result, log, jobId } = await run({
      script: ["echo start", "sleep 30"],
      afterScript: ["echo after timeout"],
      timeoutSeconds: 1,
    });
    expect(result).toEqual({ exitCode: null, failureReason: "job_execution_timeout" });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(log).toContain("after timeout");
    expect(await containersOf(jobId)).toBe(0);
  });

  it("cancels on abort", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1000);
    const started = Date.now();
    const { result, log, jobId } = await run(
      { script: ["echo running", "sleep 30"], afterScript: ["echo after cancel"] },
      ac.signal,
    );
    expect(result).toEqual({ exitCode: null, failureReason: "canceled" });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(log).toContain("running");
    expect(log).toContain("after cancel");
    expect(await containersOf(jobId)).toBe(0);
  });

  it("fails with image_pull_failure when the image is missing and may not be pulled", async () => {
    const { result, log } = await run({
      image: "minilab/does-not-exist:latest",
      script: ["echo hi"],
      docker: { pullPolicy: "never", networkMode: "none" },
    });
    expect(result).toEqual({ exitCode: null, failureReason: "image_pull_failure" });
    expect(log).toContain("minilab/does-not-exist:latest is not present locally");
  });
});
