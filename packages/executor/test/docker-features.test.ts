/**
 * Docker executor features against the real engine (DOCKER_HOST): services by alias on an internal
 * per-job network, memory limit → OOM reason, cancel mid-job (after_script ran, nothing left), pull
 * policy failures, and `docker build` inside a job through the socket binding (needs the image
 * minilab/debian:bookworm, built by packages/stack; skipped when absent).
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerExecutor, JOB_ID_LABEL } from "../src/index.ts";
import type { DockerOptions, ExecutionRequest, ExecutionResult } from "../src/index.ts";

const BUSYBOX = "minilab/busybox:latest";
const DEBIAN = "minilab/debian:bookworm";
const SERVICE = "minilab/test-http-service:latest";
const hasDocker = Boolean(process.env.DOCKER_HOST);
let jobSeq = 910_000 + Math.floor(Math.random() * 10_000);

describe.skipIf(!hasDocker)("DockerExecutor features", () => {
  const docker = new Docker();
  let workdir = "";
  let hasDebian = false;

  beforeAll(async () => {
    workdir = await mkdtemp(path.join(os.tmpdir(), "minilab-exec-f-"));
    const ctx = await mkdtemp(path.join(os.tmpdir(), "minilab-svc-"));
    await writeFile(
      path.join(ctx, "Dockerfile"),
      `FROM ${BUSYBOX}\nRUN mkdir /www && echo hello-from-service > /www/index.html\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
    );
    execFileSync("docker", ["build", "-q", "--network", "none", "-t", SERVICE, ctx]);
    await rm(ctx, { recursive: true, force: true });
    hasDebian = await docker
      .getImage(DEBIAN)
      .inspect()
      .then(() => true)
      .catch(() => false);
  });
  afterAll(async () => {
    await rm(workdir, { recursive: true, force: true });
  });

  async function run(
    over: Partial<ExecutionRequest>,
    defaults: DockerOptions = {},
    signal = new AbortController().signal,
  ): Promise<{ result: ExecutionResult; log: string; jobId: number }> {
    const executor = new DockerExecutor({ docker, defaults: { networkMode: "none", ...defaults } });
    const jobId = jobSeq++;
    const chunks: Buffer[] = [];
    const result = await executor.run(
      {
        jobId,
        image: BUSYBOX,
        beforeScript: [],
        script: [],
        afterScript: [],
        variables: [],
        hostWorkdir: workdir,
        projectDir: "/builds/group/project",
        timeoutSeconds: 60,
        ...over,
      },
      { onOutput: (c) => chunks.push(c), signal },
    );
    return { result, log: Buffer.concat(chunks).toString("utf8"), jobId };
  }

  async function leftovers(jobId: number): Promise<number> {
    const filters = { label: [`${JOB_ID_LABEL}=${jobId}`] };
    const containers = await docker.listContainers({ all: true, filters });
    const networks = await docker.listNetworks({ filters });
    return containers.length + networks.length;
  }

  it("reaches a service by its alias and removes service and network afterwards", async () => {
    const { result, log, jobId } = await run({
      services: [{ name: SERVICE, alias: "web" }],
      script: ["wget -q -O- http://web:8080/index.html"],
    });
    expect(log).toContain("hello-from-service");
    expect(result).toEqual({ exitCode: 0 });
    expect(await leftovers(jobId)).toBe(0);
  });

  it("fails a job that exceeds its memory limit with an out-of-memory reason", async () => {
    const { result, log } = await run(
      { script: ["dd if=/dev/zero of=/dev/null bs=256M count=1"] },
      { memory: 32 * 1024 * 1024 },
    );
    expect(result.failureReason).toBe("script_failure");
    expect(log).toMatch(/out of memory .*memory limit of 32 MiB.*OOMKilled/);
  });

  it("on cancel mid-job runs after_script and leaves no container behind", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1500);
    const marker = `after-${Date.now()}`;
    const { result, jobId } = await run(
      { script: ["sleep 30"], afterScript: [`echo done > ${marker}`] },
      {},
      ac.signal,
    );
    expect(result.failureReason).toBe("canceled");
    expect((await readFile(path.join(workdir, marker), "utf8")).trim()).toBe("done");
    expect(await leftovers(jobId)).toBe(0);
  });

  it("reports image_pull_failure clearly for a missing image and for allowed_images", async () => {
    const never = await run({ image: "minilab/does-not-exist:1" }, { pullPolicy: "never" });
    expect(never.result.failureReason).toBe("image_pull_failure");
    expect(never.log).toContain('not present locally and pull_policy is "never"');
    const denied = await run({}, { allowedImages: ["minilab/debian:*"] });
    expect(denied.result.failureReason).toBe("image_pull_failure");
    expect(denied.log).toContain("is not allowed by this runner");
  });

  it("builds an image with docker build inside a job when docker_socket is on", async (ctx) => {
    if (!hasDebian) ctx.skip();
    const tag = `minilab/test-build:${Date.now().toString(36)}`;
    await writeFile(path.join(workdir, "Dockerfile"), `FROM ${BUSYBOX}\nRUN echo built > /built.txt\n`);
    const [repo, sha] = tag.split(":") as [string, string];
    try {
      const { result, log } = await run(
        {
          image: DEBIAN,
          variables: [
            { key: "CI_REGISTRY_IMAGE", value: repo, masked: false },
            { key: "CI_COMMIT_SHORT_SHA", value: sha, masked: false },
          ],
          script: ["docker build --network none -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA ."],
        },
        { dockerSocket: true },
      );
      expect(result, log).toEqual({ exitCode: 0 });
      const info = await docker.getImage(tag).inspect();
      expect(info.RepoTags).toContain(tag);
    } finally {
      await docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });
});
