/**
 * Job and pipeline controls on real Postgres, Redis and a real bare repository: cancel (including
 * its races with claim and finish), play with variables, delete, run (web/api sources) and
 * `interruptible`. Needs DATABASE_URL (server) and REDIS_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AppError,
  appendJobLog,
  cancelJob,
  cancelPipeline,
  claimJob,
  createPipeline,
  deletePipeline,
  finishJob,
  playJob,
  readJobLog,
  runPipeline,
} from "@minilab/core";
import type { User } from "@minilab/db";
import { liveChannels, subscribe } from "@minilab/queue";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

const ZERO = "0".repeat(40);

const TWO_STAGES = `
stages: [build, test]
compile:
  stage: build
  script: make
unit:
  stage: test
  script: npm test
`;

const MANUAL = `
build:
  script: make
deploy:
  script: ./deploy.sh
  when: manual
`;

let f: CiFixture;
let dev: User;
let reporter: User;
let outsider: User;
const cancelMessages: number[] = [];
let stopListening: () => Promise<void>;

beforeAll(async () => {
  f = await ciFixture();
  const mk = (name: string) =>
    f.t.db.user.create({ data: { username: name, email: `${name}@example.com`, name, passwordHash: "x" } });
  [dev, reporter, outsider] = await Promise.all([mk("dev"), mk("rep"), mk("out")]);
  await f.t.db.projectMember.createMany({
    data: [
      { projectId: f.project.id, userId: dev.id, accessLevel: 30 },
      { projectId: f.project.id, userId: reporter.id, accessLevel: 20 },
    ],
  });
  stopListening = await subscribe(process.env["REDIS_URL"] ?? "", liveChannels().jobCancel, (m) => {
    cancelMessages.push((JSON.parse(m) as { jobId: number }).jobId);
  });
});
afterAll(async () => {
  await stopListening?.();
  await f?.close();
});

async function push(yaml: string, branch = "main", message = "change") {
  const sha = f.commit({ ".gitlab-ci.yml": yaml }, message, branch);
  const p = await createPipeline({
    db: f.t.db,
    project: f.project,
    ref: branch,
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
  return { pipeline: p, byName };
}

const job = (id: number) => f.t.db.job.findUniqueOrThrow({ where: { id } });
const pipelineStatus = async (id: number) =>
  (await f.t.db.pipeline.findUniqueOrThrow({ where: { id } })).status;
const claim = (jobId: number) => claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return "ok";
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe("cancelJob", () => {
  it("cancels a pending job at once; the runner's claim is refused and later stages never start", async () => {
    const { pipeline, byName } = await push(TWO_STAGES);
    const compile = byName("compile");
    expect(await cancelJob({ db: f.t.db, jobId: compile.id, userId: dev.id })).toBe("canceled");
    expect((await job(compile.id)).finishedAt).not.toBeNull();
    expect(await codeOf(claim(compile.id))).toBe("conflict");
    expect((await job(byName("unit").id)).status).toBe("skipped");
    expect(await pipelineStatus(pipeline.id)).toBe("canceled");
  });

  it("moves a running job to canceling, tells the runner, keeps taking its log, and ends canceled", async () => {
    const { pipeline, byName } = await push(TWO_STAGES);
    const compile = byName("compile");
    const spec = await claim(compile.id);
    await appendJobLog({
      db: f.t.db,
      jobId: compile.id,
      jobToken: spec.token,
      start: 0,
      data: Buffer.from("a\n"),
    });

    expect(await cancelJob({ db: f.t.db, jobId: compile.id, userId: dev.id })).toBe("canceling");
    await waitFor(() => cancelMessages.includes(compile.id));
    expect(cancelMessages).toContain(compile.id);
    // A second click changes nothing.
    expect(await cancelJob({ db: f.t.db, jobId: compile.id, userId: dev.id })).toBe("canceling");

    // The runner's after_script output still lands, and the heartbeat tells it the job is canceling.
    const r = await appendJobLog({
      db: f.t.db,
      jobId: compile.id,
      jobToken: spec.token,
      start: 2,
      data: Buffer.from("after_script ran\n"),
    });
    expect(r.status).toBe("canceling");
    expect(r.acked).toBe(19);
    const beat = await appendJobLog({
      db: f.t.db,
      jobId: compile.id,
      jobToken: spec.token,
      start: 19,
      data: Buffer.alloc(0),
    });
    expect(beat.status).toBe("canceling");

    const done = await finishJob({ db: f.t.db, jobId: compile.id, jobToken: spec.token, state: "canceled" });
    expect(done.status).toBe("canceled");
    expect((await readJobLog({ db: f.t.db, jobId: compile.id })).toString()).toBe("a\nafter_script ran\n");
    const row = await job(compile.id);
    expect(row.status).toBe("canceled");
    expect(row.tokenHash).toBeNull();
    expect(await pipelineStatus(pipeline.id)).toBe("canceled");
  });

  it("refuses to cancel a finished job (422) and leaves it as it was", async () => {
    const { byName } = await push(TWO_STAGES);
    const compile = byName("compile");
    const spec = await claim(compile.id);
    await finishJob({ db: f.t.db, jobId: compile.id, jobToken: spec.token, state: "success", exitCode: 0 });
    expect(await codeOf(cancelJob({ db: f.t.db, jobId: compile.id, userId: dev.id }))).toBe("unprocessable");
    expect((await job(compile.id)).status).toBe("success");
  });

  it("is for developers and up: reporters are refused, outsiders of a private project get not_found", async () => {
    const { byName } = await push(TWO_STAGES);
    const id = byName("compile").id;
    expect(await codeOf(cancelJob({ db: f.t.db, jobId: id, userId: reporter.id }))).toBe("forbidden");
    expect(await codeOf(cancelJob({ db: f.t.db, jobId: id, userId: outsider.id }))).toBe("not_found");
    expect(
      await codeOf(cancelJob({ db: f.t.db, jobId: id, userId: dev.id, projectId: f.project.id + 99 })),
    ).toBe("not_found");
    expect((await job(id)).status).toBe("pending");
  });
});

describe("cancel races", () => {
  it("cancel vs claim: the job either never runs, or runs and is being canceled — never both, never neither", async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const { pipeline, byName } = await push(TWO_STAGES, "race-claim", `claim ${i}`);
      const id = byName("compile").id;
      const [claimed, canceled] = await Promise.allSettled([
        claim(id),
        cancelJob({ db: f.t.db, jobId: id, userId: dev.id }),
      ]);
      expect(canceled.status).toBe("fulfilled");
      const status = (await job(id)).status;
      if (claimed.status === "fulfilled") {
        expect(status).toBe("canceling");
        // The runner confirms; the job ends canceled whatever it reports.
        await finishJob({
          db: f.t.db,
          jobId: id,
          jobToken: claimed.value.token,
          state: "success",
          exitCode: 0,
        });
        expect((await job(id)).status).toBe("canceled");
        outcomes.add("claimed-then-canceled");
      } else {
        expect(claimed.reason).toBeInstanceOf(AppError);
        expect(status).toBe("canceled");
        outcomes.add("never-ran");
      }
      expect(await pipelineStatus(pipeline.id)).toBe("canceled");
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it("cancel vs finish: one consistent end state, with the log and pipeline agreeing", async () => {
    for (let i = 0; i < 12; i++) {
      const { pipeline, byName } = await push(TWO_STAGES, "race-finish", `finish ${i}`);
      const id = byName("compile").id;
      const spec = await claim(id);
      const [finished, canceled] = await Promise.allSettled([
        finishJob({ db: f.t.db, jobId: id, jobToken: spec.token, state: "success", exitCode: 0 }),
        cancelJob({ db: f.t.db, jobId: id, userId: dev.id }),
      ]);
      expect(finished.status).toBe("fulfilled");
      const row = await job(id);
      if (canceled.status === "fulfilled") {
        // The cancel committed first: the runner's success report only confirms the cancel.
        expect(row.status).toBe("canceled");
        expect(await pipelineStatus(pipeline.id)).toBe("canceled");
        expect((await job(byName("unit").id)).status).toBe("skipped");
      } else {
        // The finish committed first: the cancel found a finished job and changed nothing.
        expect((canceled.reason as AppError).code).toBe("unprocessable");
        expect(row.status).toBe("success");
        expect((await job(byName("unit").id)).status).toBe("pending");
      }
      expect(row.tokenHash).toBeNull();
      expect(row.finishedAt).not.toBeNull();
    }
  });
});

describe("cancelPipeline", () => {
  it("cancels GitLab's cancelable jobs (pending/created at once, running via canceling) and leaves manual jobs playable", async () => {
    const yaml = `
stages: [a, b]
one: { stage: a, script: x }
two: { stage: a, script: x }
later: { stage: b, script: x }
manual: { stage: a, script: x, when: manual }
`;
    const { pipeline, byName } = await push(yaml);
    expect((await job(byName("manual").id)).status).toBe("manual");
    const spec = await claim(byName("one").id);
    const p = await cancelPipeline({ db: f.t.db, pipelineId: pipeline.id, userId: dev.id });
    expect((await job(byName("one").id)).status).toBe("canceling");
    expect((await job(byName("two").id)).status).toBe("canceled");
    expect((await job(byName("later").id)).status).toBe("canceled");
    expect((await job(byName("manual").id)).status).toBe("manual");
    expect(p.status).toBe("canceling");
    await waitFor(() => cancelMessages.includes(byName("one").id));
    expect(cancelMessages).toContain(byName("one").id);
    expect(await codeOf(cancelPipeline({ db: f.t.db, pipelineId: pipeline.id, userId: reporter.id }))).toBe(
      "forbidden",
    );

    // The runner reports; the optional manual job is ignored and the pipeline ends canceled (GitLab).
    await finishJob({ db: f.t.db, jobId: byName("one").id, jobToken: spec.token, state: "canceled" });
    expect(await pipelineStatus(pipeline.id)).toBe("canceled");
    // The manual job can still be played after the cancel.
    await playJob({ db: f.t.db, jobId: byName("manual").id, userId: dev.id });
    expect((await job(byName("manual").id)).status).toBe("pending");
  });

  it("leaves a blocking manual job (allow_failure: false) manual, so the pipeline shows manual", async () => {
    const yaml = `
build: { script: x }
gate: { script: x, when: manual, allow_failure: false }
`;
    const { pipeline, byName } = await push(yaml);
    await cancelPipeline({ db: f.t.db, pipelineId: pipeline.id, userId: dev.id });
    expect((await job(byName("build").id)).status).toBe("canceled");
    expect((await job(byName("gate").id)).status).toBe("manual");
    expect(await pipelineStatus(pipeline.id)).toBe("manual");
  });
});

describe("playJob", () => {
  it("plays a manual job with variables that the runner receives last, and only once", async () => {
    const { byName } = await push(MANUAL);
    const deploy = byName("deploy");
    expect(deploy.status).toBe("manual");
    expect(
      await playJob({
        db: f.t.db,
        jobId: deploy.id,
        userId: dev.id,
        variables: [
          { key: "TARGET", value: "staging" },
          { key: "", value: "" },
        ],
      }),
    ).toBe("pending");
    expect((await f.queuedJobIds()).includes(deploy.id)).toBe(true);
    const spec = await claim(deploy.id);
    expect(spec.variables.at(-1)).toEqual({ key: "TARGET", value: "staging", masked: false });
    expect(await codeOf(playJob({ db: f.t.db, jobId: deploy.id, userId: dev.id }))).toBe("invalid_input");
  });

  it("refuses bad variable names, reporters, and developers on a branch only maintainers may push", async () => {
    const { byName } = await push(MANUAL, "prod", "prod");
    const id = byName("deploy").id;
    expect(
      await codeOf(
        playJob({ db: f.t.db, jobId: id, userId: dev.id, variables: [{ key: "1BAD", value: "x" }] }),
      ),
    ).toBe("invalid_input");
    expect(await codeOf(playJob({ db: f.t.db, jobId: id, userId: reporter.id }))).toBe("forbidden");
    await f.t.db.protectedBranch.create({
      data: { projectId: f.project.id, name: "prod", pushAccessLevel: 40, mergeAccessLevel: 40 },
    });
    expect(await codeOf(playJob({ db: f.t.db, jobId: id, userId: dev.id }))).toBe("forbidden");
    expect(await playJob({ db: f.t.db, jobId: id, userId: f.user.id })).toBe("pending");
  });
});

describe("deletePipeline", () => {
  it("is for maintainers; removes the pipeline, its jobs and their logs", async () => {
    const { pipeline, byName } = await push(TWO_STAGES);
    const id = byName("compile").id;
    const spec = await claim(id);
    await appendJobLog({ db: f.t.db, jobId: id, jobToken: spec.token, start: 0, data: Buffer.from("log\n") });
    expect(await codeOf(deletePipeline({ db: f.t.db, pipelineId: pipeline.id, userId: dev.id }))).toBe(
      "forbidden",
    );
    await deletePipeline({ db: f.t.db, pipelineId: pipeline.id, userId: f.user.id });
    expect(await f.t.db.pipeline.findUnique({ where: { id: pipeline.id } })).toBeNull();
    expect(await f.t.db.job.count({ where: { pipelineId: pipeline.id } })).toBe(0);
    expect(await f.t.db.jobLogChunk.count({ where: { jobId: id } })).toBe(0);
    // The runner still executing it is told to stop.
    await waitFor(() => cancelMessages.includes(id));
    expect(cancelMessages).toContain(id);
  });
});

describe("interruptible", () => {
  const yaml = (interruptible: boolean) => `
stages: [build, deploy]
build:
  stage: build
  script: make
  interruptible: ${interruptible}
deploy:
  stage: deploy
  script: ./deploy.sh
`;

  it("a new pipeline on the branch cancels the older one while only interruptible jobs have started", async () => {
    const old = await push(yaml(true), "feature", "one");
    await claim(old.byName("build").id);
    const next = await push(yaml(true), "feature", "two");
    expect((await job(old.byName("build").id)).status).toBe("canceling");
    expect((await job(old.byName("deploy").id)).status).toBe("canceled");
    expect((await job(next.byName("build").id)).status).toBe("pending");
  });

  it("leaves the older pipeline alone once a non-interruptible job has started", async () => {
    const old = await push(yaml(false), "feature2", "one");
    await claim(old.byName("build").id);
    await push(yaml(false), "feature2", "two");
    expect((await job(old.byName("build").id)).status).toBe("running");
    expect((await job(old.byName("deploy").id)).status).toBe("created");
  });

  it("does not touch pipelines of other branches", async () => {
    const other = await push(yaml(true), "feature3", "one");
    await push(yaml(true), "feature4", "two");
    expect((await job(other.byName("build").id)).status).toBe("pending");
  });
});

describe("runPipeline", () => {
  it("runs a pipeline for a ref with source web and pipeline variables", async () => {
    f.commit({ ".gitlab-ci.yml": TWO_STAGES }, "for web", "webbranch");
    const p = await runPipeline({
      db: f.t.db,
      projectId: f.project.id,
      userId: dev.id,
      ref: "webbranch",
      source: "web",
      variables: { DEPLOY_TO: "qa" },
    });
    expect(p.source).toBe("web");
    const compile = await f.t.db.job.findFirstOrThrow({ where: { pipelineId: p.id, name: "compile" } });
    const spec = await claim(compile.id);
    const vars = Object.fromEntries(spec.variables.map((v) => [v.key, v.value]));
    expect(vars["CI_PIPELINE_SOURCE"]).toBe("web");
    expect(vars["DEPLOY_TO"]).toBe("qa");
  });

  it("passes `variable_type: file` pipeline variables to the runner as file variables", async () => {
    f.commit({ ".gitlab-ci.yml": TWO_STAGES }, "for api", "filebranch");
    const p = await runPipeline({
      db: f.t.db,
      projectId: f.project.id,
      userId: dev.id,
      ref: "filebranch",
      source: "api",
      variables: { KUBECONFIG: "apiVersion: v1\nkind: Config\n", PLAIN: "x" },
      fileVariables: ["KUBECONFIG", "NOT_GIVEN"],
    });
    expect(p.fileVariables).toEqual(["KUBECONFIG"]);
    const compile = await f.t.db.job.findFirstOrThrow({ where: { pipelineId: p.id, name: "compile" } });
    const spec = await claim(compile.id);
    const kube = spec.variables.filter((v) => v.key === "KUBECONFIG");
    expect(kube.at(-1)).toMatchObject({ value: "apiVersion: v1\nkind: Config\n", file: true });
    expect(spec.variables.find((v) => v.key === "PLAIN")?.file).toBeFalsy();
  });

  it("answers GitLab's refusals: unknown ref, workflow rules, permissions", async () => {
    const base = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: AppError) => (e.details?.["fields"] as { base?: string } | undefined)?.base ?? e.code,
      );
    expect(
      await base(
        runPipeline({ db: f.t.db, projectId: f.project.id, userId: dev.id, ref: "nope", source: "api" }),
      ),
    ).toBe("Reference not found");
    f.commit(
      { ".gitlab-ci.yml": `workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "push"\n${TWO_STAGES}` },
      "push only",
      "pushonly",
    );
    expect(
      await base(
        runPipeline({ db: f.t.db, projectId: f.project.id, userId: dev.id, ref: "pushonly", source: "api" }),
      ),
    ).toBe("Pipeline filtered out by workflow rules.");
    expect(
      await base(
        runPipeline({ db: f.t.db, projectId: f.project.id, userId: reporter.id, ref: "main", source: "api" }),
      ),
    ).toBe("forbidden");
  });
});
