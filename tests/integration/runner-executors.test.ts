/**
 * The runner against the real stack and Docker engine, beyond the happy path of the stack's own
 * runner: tag routing between two runner processes, the shell executor (with artifacts and cache on
 * the host), GIT_STRATEGY clone / fetch / none, and `docker build` of the repository's Dockerfile
 * inside a job when the runner binds the engine socket.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJobLog } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { dockerCli } from "./support/docker-cli.ts";
import { runnerProcess, type RunnerProcess } from "./support/runner-process.ts";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

type ApiJob = { id: number; name: string; status: string };
const uniq = (): string => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

describe.runIf(webUrl)("runner executors, tags and git strategies", () => {
  let db: Db;
  let t: TestProject;
  const runners: RunnerProcess[] = [];

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    t = await testProject(db, "exec");
  });
  afterAll(async () => {
    for (const r of runners) await r.stop().catch(() => undefined);
    await db?.$disconnect();
  });

  async function runner(tag: string, env: Record<string, string> = {}): Promise<RunnerProcess> {
    const r = await runnerProcess(db, tag, env);
    runners.push(r);
    r.start();
    return r;
  }

  async function jobsOf(sha: string) {
    const p = await t.finishedPipeline(sha);
    const jobs = await t.api<ApiJob[]>(`/projects/${encodeURIComponent(t.repo)}/pipelines/${p.id}/jobs`);
    const out = new Map<string, ApiJob & { log: string; runnerId: number | null }>();
    for (const j of jobs) {
      const row = await db.job.findUniqueOrThrow({ where: { id: j.id }, select: { runnerId: true } });
      out.set(j.name, {
        ...j,
        runnerId: row.runnerId,
        log: (await readJobLog({ db, jobId: j.id })).toString(),
      });
    }
    return { status: p.status, jobs: out };
  }

  it("routes tagged jobs to the runner with the tag and untagged ones to the untagged runner", async () => {
    const tag = `gpu-${uniq()}`;
    const tagged = await runner(tag);
    const ci = `
on_tagged:
  tags: [${tag}]
  script: [ "echo tagged job" ]
untagged:
  script: [ "echo untagged job" ]
`;
    const { status, jobs } = await jobsOf(await t.push({ ".gitlab-ci.yml": ci }, "tags"));
    expect(status).toBe("success");
    expect(jobs.get("on_tagged")!.runnerId).toBe(tagged.id);
    // The stack's runner runs untagged jobs; the tagged runner has run_untagged off.
    expect(jobs.get("untagged")!.runnerId).not.toBeNull();
    expect(jobs.get("untagged")!.runnerId).not.toBe(tagged.id);
  });

  it("runs jobs with the shell executor on the host, artifacts and cache included", async () => {
    const tag = `shell-${uniq()}`;
    await runner(tag, { MINILAB_RUNNER_EXECUTOR: "shell" });
    const ci = `
stages: [build, test]
make:
  stage: build
  tags: [${tag}]
  cache: { key: shell, paths: [.cache/] }
  script:
    - echo "executor dir $CI_PROJECT_DIR"
    - test -d .git && echo "checked out on the host"
    - mkdir -p dist .cache && echo from-shell > dist/out.txt && echo c > .cache/c
  artifacts: { paths: [dist/] }
use:
  stage: test
  tags: [${tag}]
  script: [ "cat dist/out.txt" ]
`;
    const { status, jobs } = await jobsOf(await t.push({ ".gitlab-ci.yml": ci }, "shell"));
    const make = jobs.get("make")!;
    expect(status, make.log).toBe("success");
    expect(make.log).toContain('Preparing the "shell" executor');
    expect(make.log).toContain("checked out on the host");
    expect(make.log).toContain("Created cache");
    expect(jobs.get("use")!.log).toContain("from-shell");
  });

  it("honours GIT_STRATEGY clone, fetch (directory reused) and none (no sources)", async () => {
    const ci = `
stages: [one, two]
fetch1:
  stage: one
  variables: { GIT_STRATEGY: fetch }
  script: [ "test -f README.md", "echo kept > .git/minilab-marker" ]
fetch2:
  stage: two
  variables: { GIT_STRATEGY: fetch }
  script: [ "cat .git/minilab-marker", "echo fetch dir reused" ]
clone:
  stage: two
  variables: { GIT_STRATEGY: clone }
  script: [ "test -f README.md", "test ! -e .git/minilab-marker && echo fresh clone" ]
none:
  stage: two
  variables: { GIT_STRATEGY: none }
  script: [ "test ! -e README.md && test ! -e .git && echo no sources" ]
`;
    const { status, jobs } = await jobsOf(
      await t.push({ ".gitlab-ci.yml": ci, "README.md": "hi\n" }, "git strategies"),
    );
    const all = [...jobs.values()].map((j) => `${j.name}:\n${j.log}`).join("\n");
    expect(status, all).toBe("success");
    expect(jobs.get("fetch2")!.log).toContain("fetch dir reused");
    expect(jobs.get("clone")!.log).toContain("fresh clone");
    expect(jobs.get("none")!.log).toContain("Skipping Git repository setup");
    expect(jobs.get("none")!.log).toContain("no sources");
  });

  it("builds the repository's Dockerfile inside a job with docker_socket on", async () => {
    const tag = `dind-${uniq()}`;
    await runner(tag, { MINILAB_RUNNER_DOCKER_SOCKET: "true" });
    const ci = `
image: minilab/debian:bookworm
build-image:
  tags: [${tag}]
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA .
    - echo "built $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"
`;
    const dockerfile =
      "FROM minilab/busybox:latest\nRUN echo baked > /baked.txt\nLABEL minilab.test=job-build\n";
    const sha = await t.push({ ".gitlab-ci.yml": ci, Dockerfile: dockerfile }, "docker build");
    const { status, jobs } = await jobsOf(sha);
    const log = jobs.get("build-image")!.log;
    expect(status, log).toBe("success");
    const image = /^built (\S+?)\r?$/m.exec(log)?.[1];
    expect(image).toMatch(new RegExp(`:${sha.slice(0, 8)}$`));
    const docker = await dockerCli();
    try {
      expect(await docker("run", "--rm", "--network", "none", image!, "cat", "/baked.txt")).toBe("baked\n");
    } finally {
      await docker("rmi", "-f", image!).catch(() => undefined);
    }
  });
});
