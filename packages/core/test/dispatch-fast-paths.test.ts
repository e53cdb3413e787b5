/**
 * The shortcuts that keep a job's dispatch cheap must not change what a user sees:
 * - a successful finish advances its pipeline after its own commit, under a shared lock (see
 *   advanceAfterCommit): the last two jobs of a stage finishing at the same moment still start the
 *   next stage, exactly once; a finish repeated after its advance was lost completes that advance;
 * - status events skip the webhook queue only for projects with no hook taking job or pipeline
 *   events — a project with such a hook gets every event;
 * - the claim reads what the spec needs in one statement (protected refs, project variables).
 * Needs DATABASE_URL (server) and REDIS_URL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HookEvent } from "@minilab/contracts";
import { claimJob, finishJob, setHookEventSink } from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

let f: CiFixture;
beforeAll(async () => {
  f = await ciFixture();
});
afterEach(() => setHookEventSink(undefined));
afterAll(async () => {
  await f?.close();
});

const jobsOf = (pipelineId: number) =>
  f.t.db.job.findMany({
    where: { pipelineId, retried: false },
    select: { id: true, name: true, status: true },
    orderBy: { id: "asc" },
  });
const pipelineStatus = async (id: number) =>
  (await f.t.db.pipeline.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

async function run(id: number): Promise<void> {
  const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: id });
  await finishJob({ db: f.t.db, jobId: id, jobToken: spec.token, state: "success" });
}

describe("advance after a finish commits", () => {
  it("the last two jobs of a stage finishing at once start the next stage, once", async () => {
    for (let round = 0; round < 6; round++) {
      const p = await f.pipelineOf(`
stages: [one, two]
a: { stage: one, script: x }
b: { stage: one, script: x }
next: { stage: two, script: n }
`);
      const [a, b] = (await jobsOf(p.id)).filter((j) => j.name !== "next");
      if (!a || !b) throw new Error("missing jobs");
      const specs = await Promise.all(
        [a, b].map((j) => claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: j.id })),
      );
      await Promise.all(
        [a, b].map((j, i) =>
          finishJob({ db: f.t.db, jobId: j.id, jobToken: specs[i]?.token ?? "", state: "success" }),
        ),
      );
      expect((await jobsOf(p.id)).map((j) => [j.name, j.status])).toEqual([
        ["a", "success"],
        ["b", "success"],
        ["next", "pending"],
      ]);
      expect(await pipelineStatus(p.id)).toBe("running");
    }
  });

  it("a finish repeated after its advance was lost completes the advance", async () => {
    const p = await f.pipelineOf("only: { script: x }\n");
    const [job] = await jobsOf(p.id);
    if (!job) throw new Error("missing job");
    const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: job.id });
    // The finish's own transaction committed, then the process died before advancing.
    await f.t.db.job.update({
      where: { id: job.id },
      data: { status: "success", finishedAt: new Date(), tokenHash: null },
    });
    expect(await pipelineStatus(p.id)).toBe("running");
    // The runner got no answer and sends the finish again.
    const r = await finishJob({ db: f.t.db, jobId: job.id, jobToken: spec.token, state: "success" });
    expect(r.status).toBe("success");
    expect(await pipelineStatus(p.id)).toBe("success");
  });
});

describe("status events and the webhook queue", () => {
  async function eventsOfOneJob(): Promise<HookEvent[]> {
    const seen: HookEvent[] = [];
    setHookEventSink(async (events) => {
      seen.push(...events);
    });
    const p = await f.pipelineOf("only: { script: x }\n");
    const [job] = await jobsOf(p.id);
    if (!job) throw new Error("missing job");
    await run(job.id);
    expect(await pipelineStatus(p.id)).toBe("success");
    return seen.filter((e) => e.kind !== "push");
  }
  const hook = (flags: { pushEvents?: boolean; jobEvents?: boolean; pipelineEvents?: boolean }) =>
    f.t.db.projectHook.create({
      data: {
        uuid: randomUUID(),
        projectId: f.project.id,
        url: "http://hooks.invalid/x",
        token: "",
        ...flags,
      },
    });

  it("skips it for a project without job or pipeline hooks, and not once one exists", async () => {
    expect(await eventsOfOneJob()).toEqual([]);
    // A push-only hook takes none of these events either.
    const push = await hook({ pushEvents: true });
    expect(await eventsOfOneJob()).toEqual([]);
    await f.t.db.projectHook.delete({ where: { id: push.id } });

    const jobs = await hook({ pushEvents: false, jobEvents: true });
    const events = await eventsOfOneJob();
    expect(events.filter((e) => e.kind === "job").map((e) => e.status)).toEqual([
      "pending",
      "running",
      "success",
    ]);
    expect(events.filter((e) => e.kind === "pipeline").map((e) => e.status)).toContain("success");
    await f.t.db.projectHook.delete({ where: { id: jobs.id } });
  });
});

describe("claim", () => {
  it("gives protected variables only on protected branches, and masks as set", async () => {
    await f.t.db.projectVariable.createMany({
      data: [
        { projectId: f.project.id, key: "OPEN", value: "o", masked: false, protected: false },
        { projectId: f.project.id, key: "SECRET", value: "s3cr3t-value", masked: true, protected: true },
      ],
    });
    const vars = async () => {
      const p = await f.pipelineOf("only: { script: x }\n");
      const [job] = await jobsOf(p.id);
      if (!job) throw new Error("missing job");
      const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: job.id });
      await finishJob({ db: f.t.db, jobId: job.id, jobToken: spec.token, state: "success" });
      return {
        ref: (await f.t.db.pipeline.findUniqueOrThrow({ where: { id: p.id } })).ref,
        vars: spec.variables.filter((v) => ["OPEN", "SECRET", "CI_COMMIT_REF_PROTECTED"].includes(v.key)),
      };
    };
    const unprotected = await vars();
    expect(unprotected.vars).toEqual([
      { key: "CI_COMMIT_REF_PROTECTED", value: "false", masked: false },
      { key: "OPEN", value: "o", masked: false },
    ]);
    // pipelineOf pushes each pipeline to a branch of its own: protect them all with a wildcard.
    await f.t.db.protectedBranch.create({ data: { projectId: f.project.id, name: "*" } });
    const isProtected = await vars();
    expect(isProtected.vars).toEqual([
      { key: "CI_COMMIT_REF_PROTECTED", value: "true", masked: false },
      { key: "OPEN", value: "o", masked: false },
      { key: "SECRET", value: "s3cr3t-value", masked: true },
    ]);
  });
});
