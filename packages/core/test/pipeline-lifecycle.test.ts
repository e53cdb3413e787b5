/**
 * Push → pipeline → claim → log → finish against real Postgres, Redis, and a real bare repository.
 * Needs DATABASE_URL (server) and REDIS_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AppError,
  appendJobLog,
  claimJob,
  createPipeline,
  finishJob,
  handlePush,
  readJobLog,
} from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

const TWO_STAGES = `
stages: [build, test]
variables:
  GREETING: hello
compile:
  stage: build
  image: node:20
  script: make
unit:
  stage: test
  variables: { GREETING: hi }
  script: [npm test]
notify:
  stage: test
  when: on_failure
  script: ./notify.sh
`;

let f: CiFixture;
beforeAll(async () => {
  f = await ciFixture();
});
afterAll(async () => {
  await f?.close();
});

const ZERO = "0".repeat(40);

async function push(files: Record<string, string>, message?: string) {
  const sha = f.commit(files, message);
  const p = await createPipeline({
    db: f.t.db,
    project: f.project,
    ref: "main",
    tag: false,
    sha,
    beforeSha: ZERO,
    source: "push",
    userId: f.user.id,
  });
  if (!p) throw new Error("expected a pipeline");
  const jobs = await f.t.db.job.findMany({ where: { pipelineId: p.id }, orderBy: { id: "asc" } });
  const byName = (name: string) => {
    const j = jobs.find((x) => x.name === name);
    if (!j) throw new Error(`no job ${name}`);
    return j;
  };
  return { sha, pipeline: p, jobs, byName };
}

const statusOf = async (jobId: number) =>
  (await f.t.db.job.findUniqueOrThrow({ where: { id: jobId } })).status;
const pipelineOf = async (id: number) => f.t.db.pipeline.findUniqueOrThrow({ where: { id } });

describe("createPipeline", () => {
  it("creates jobs by stage, makes the first stage pending and dispatches only it", async () => {
    const { pipeline, jobs, byName } = await push({ ".gitlab-ci.yml": TWO_STAGES });
    expect(pipeline.status).toBe("pending");
    expect(pipeline.stages).toEqual(["build", "test"]);
    expect(pipeline.commitAuthorEmail).toBe("ada@example.com");
    expect(jobs.map((j) => [j.name, j.stageIdx, j.status])).toEqual([
      ["compile", 0, "pending"],
      ["unit", 1, "created"],
      ["notify", 1, "created"],
    ]);
    expect(byName("compile").queuedAt).not.toBeNull();
    expect(await f.queuedJobIds()).toEqual([byName("compile").id]);
  });

  it("gives each pipeline of a project the next iid", async () => {
    const a = await push({ ".gitlab-ci.yml": TWO_STAGES });
    const b = await push({ "x.txt": "x" });
    expect(b.pipeline.iid).toBe(a.pipeline.iid + 1);
  });

  it("creates no pipeline without .gitlab-ci.yml", async () => {
    const other = await f.t.db.project.create({
      data: { namespace: "ada", path: "empty", name: "Empty", ownerId: f.user.id },
    });
    const { initBareRepo, repoDir } = await import("@minilab/git");
    const { coreConfig } = await import("@minilab/core");
    const dir = repoDir(coreConfig().reposDir, other.namespace, other.path);
    await initBareRepo(dir);
    const { execFileSync } = await import("node:child_process");
    // A commit without a CI file, written straight into the other project's repository.
    const tree = execFileSync("git", ["-C", dir, "mktree"], { input: "", encoding: "utf8" }).trim();
    const empty = execFileSync("git", ["-C", dir, "commit-tree", tree, "-m", "empty"], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "a",
        GIT_AUTHOR_EMAIL: "a@b",
        GIT_COMMITTER_NAME: "a",
        GIT_COMMITTER_EMAIL: "a@b",
      },
    }).trim();
    const p = await createPipeline({
      db: f.t.db,
      project: other,
      ref: "main",
      tag: false,
      sha: empty,
      beforeSha: ZERO,
      source: "push",
      userId: null,
    });
    expect(p).toBeNull();
    expect(await f.t.db.pipeline.count({ where: { projectId: other.id } })).toBe(0);
  });

  it("records YAML errors on a failed pipeline without jobs", async () => {
    const { pipeline, jobs } = await push({ ".gitlab-ci.yml": "build:\n  stage: build\n" });
    expect(pipeline.status).toBe("failed");
    expect(pipeline.yamlErrors).toBe("jobs:build config should implement a script: or a trigger: keyword");
    expect(pipeline.finishedAt).not.toBeNull();
    expect(jobs).toEqual([]);
  });
});

describe("job lifecycle", () => {
  it("claim → log → finish success runs the next stage and the pipeline succeeds", async () => {
    const { pipeline, byName } = await push({ ".gitlab-ci.yml": TWO_STAGES }, "feat: add\n\nbody");
    const compile = byName("compile");
    const spec = await claimJob({
      db: f.t.db,
      runnerToken: f.runnerToken,
      jobId: compile.id,
      info: { version: "1.0" },
    });
    expect(spec.token).toMatch(/^glcbt-/);
    expect(spec.image).toBe("node:20");
    expect(spec.script).toEqual(["make"]);
    expect(spec.git.repoUrl).toBe(`http://gitlab-ci-token:${spec.token}@localhost:3000/ada/calc.git`);
    const vars = new Map(spec.variables.map((v) => [v.key, v.value]));
    expect(vars.get("CI_JOB_ID")).toBe(String(compile.id));
    expect(vars.get("CI_COMMIT_TITLE")).toBe("feat: add");
    expect(vars.get("GREETING")).toBe("hello");
    expect(vars.get("GITLAB_USER_LOGIN")).toBe("ada");
    expect(await statusOf(compile.id)).toBe("running");
    expect((await pipelineOf(pipeline.id)).status).toBe("running");
    expect((await pipelineOf(pipeline.id)).startedAt).not.toBeNull();

    // Exactly one claimer wins.
    await expect(
      claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: compile.id }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      claimJob({ db: f.t.db, runnerToken: "glrt-wrong", jobId: compile.id }),
    ).rejects.toMatchObject({ code: "unauthorized" });

    const log = (start: number, text: string) =>
      appendJobLog({ db: f.t.db, jobId: compile.id, jobToken: spec.token, start, data: Buffer.from(text) });
    expect(await log(0, "hello ")).toEqual({ acked: 6, status: "running" });
    expect(await log(0, "hello ")).toEqual({ acked: 6, status: "running" }); // retry: stored once
    const gap = await log(10, "zzz").catch((e: unknown) => e);
    expect(gap).toBeInstanceOf(AppError);
    expect(gap).toMatchObject({ code: "range_mismatch", details: { acked: 6 } });
    expect(await log(6, "world")).toEqual({ acked: 11, status: "running" });
    expect(await log(11, "")).toEqual({ acked: 11, status: "running" }); // heartbeat
    await expect(
      appendJobLog({
        db: f.t.db,
        jobId: compile.id,
        jobToken: "glcbt-nope",
        start: 11,
        data: Buffer.from("x"),
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect((await readJobLog({ db: f.t.db, jobId: compile.id })).toString()).toBe("hello world");
    expect((await readJobLog({ db: f.t.db, jobId: compile.id, from: 8 })).toString()).toBe("rld");

    expect(
      await finishJob({ db: f.t.db, jobId: compile.id, jobToken: spec.token, state: "success", exitCode: 0 }),
    ).toEqual({ status: "success" });
    // A retried finish changes nothing; the token no longer works for logs.
    expect(await finishJob({ db: f.t.db, jobId: compile.id, jobToken: spec.token, state: "failed" })).toEqual(
      { status: "success" },
    );
    await expect(log(11, "late")).rejects.toMatchObject({ code: "forbidden" });

    const unit = byName("unit");
    expect(await statusOf(unit.id)).toBe("pending");
    expect(await statusOf(byName("notify").id)).toBe("skipped");
    expect(await f.queuedJobIds()).toContain(unit.id);
    const unitSpec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: unit.id });
    expect(unitSpec.variables.filter((v) => v.key === "GREETING").at(-1)?.value).toBe("hi");
    await finishJob({ db: f.t.db, jobId: unit.id, jobToken: unitSpec.token, state: "success", exitCode: 0 });
    const done = await pipelineOf(pipeline.id);
    expect(done.status).toBe("success");
    expect(done.finishedAt).not.toBeNull();
  });

  it("a failed job skips later on_success jobs, runs on_failure ones and fails the pipeline", async () => {
    const { pipeline, byName } = await push({ ".gitlab-ci.yml": TWO_STAGES });
    const compile = byName("compile");
    const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: compile.id });
    await finishJob({ db: f.t.db, jobId: compile.id, jobToken: spec.token, state: "failed", exitCode: 2 });
    const failed = await f.t.db.job.findUniqueOrThrow({ where: { id: compile.id } });
    expect([failed.status, failed.failureReason, failed.exitCode, failed.tokenHash]).toEqual([
      "failed",
      "script_failure",
      2,
      null,
    ]);
    expect(await statusOf(byName("unit").id)).toBe("skipped");
    const notify = byName("notify");
    expect(await statusOf(notify.id)).toBe("pending");
    expect((await pipelineOf(pipeline.id)).status).toBe("running");

    const n = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: notify.id });
    await finishJob({ db: f.t.db, jobId: notify.id, jobToken: n.token, state: "success" });
    expect((await pipelineOf(pipeline.id)).status).toBe("failed");
  });
});

describe("handlePush", () => {
  it("creates pipelines for branches and tags, none for deletions or [ci skip]", async () => {
    const sha = f.commit({ ".gitlab-ci.yml": TWO_STAGES }, "release");
    const skipped = f.commit({ "y.txt": "y" }, "docs: typo [ci skip]");
    const pipelines = await handlePush({
      db: f.t.db,
      project: f.project,
      userId: f.user.id,
      updates: [
        { ref: "refs/heads/main", oldSha: ZERO, newSha: sha },
        { ref: "refs/tags/v1.0", oldSha: ZERO, newSha: sha },
        { ref: "refs/heads/gone", oldSha: sha, newSha: ZERO },
        { ref: "refs/heads/skip", oldSha: ZERO, newSha: skipped },
      ],
    });
    expect(pipelines.map((p) => [p.ref, p.tag, p.source])).toEqual([
      ["main", false, "push"],
      ["v1.0", true, "push"],
    ]);
  });
});
