/**
 * Trigger tokens and pipeline schedules against real Postgres, Redis and a bare repository: a trigger
 * starts a `trigger` pipeline whose jobs get its variables (and TRIGGER_PAYLOAD as a file variable),
 * with GitLab's refusals; a due schedule fires exactly once per tick with two scheduler loops racing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimJob,
  createSchedule,
  createTrigger,
  isAppError,
  revokeTrigger,
  runDueSchedules,
  runTrigger,
  startScheduler,
  updateSchedule,
} from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

const CI = `
workflow:
  rules:
    - if: $SKIP_ME == "yes"
      when: never
    - when: always
show:
  script: [echo "$FOO"]
`;

let f: CiFixture;
let sha: string;
beforeAll(async () => {
  f = await ciFixture();
  sha = f.commit({ ".gitlab-ci.yml": CI }, "ci");
  f.commit({ "x.txt": "x" }, "tagged");
});
afterAll(async () => {
  await f?.close();
});

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message, details: e.details };
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("trigger tokens", () => {
  it("starts a trigger pipeline as the token's owner; its job gets the variables and the payload file", async () => {
    const { token, trigger } = await createTrigger({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      description: "ci",
    });
    expect(token).toMatch(/^glptt-[0-9A-Za-z]{40}$/);
    expect(trigger.tokenPrefix).toBe(token.slice(0, 10));
    const stored = await f.t.db.pipelineTrigger.findUniqueOrThrow({ where: { id: trigger.id } });
    expect(stored.tokenHash).not.toContain(token.slice(6));

    const { pipeline } = await runTrigger({
      db: f.t.db,
      projectRef: String(f.project.id),
      token,
      ref: "main",
      variables: { FOO: "from-trigger" },
      payload: '{"hello":"world"}',
    });
    expect(pipeline.source).toBe("trigger");
    expect(pipeline.userId).toBe(f.user.id);
    const job = await f.t.db.job.findFirstOrThrow({ where: { pipelineId: pipeline.id } });
    const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: job.id });
    const vars = new Map(spec.variables.map((v) => [v.key, v]));
    expect(vars.get("FOO")?.value).toBe("from-trigger");
    expect(vars.get("CI_PIPELINE_SOURCE")?.value).toBe("trigger");
    expect(vars.get("TRIGGER_PAYLOAD")).toMatchObject({ value: '{"hello":"world"}', file: true });
    expect(vars.get("FOO")?.file).toBeUndefined();
    const used = await f.t.db.pipelineTrigger.findUniqueOrThrow({ where: { id: trigger.id } });
    expect(used.lastUsedAt).not.toBeNull();
  });

  it("answers GitLab's refusals: bad token, unknown ref, workflow rules, Pipeline Hook loops", async () => {
    const { token, trigger } = await createTrigger({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      description: "",
    });
    const base = { db: f.t.db, projectRef: String(f.project.id), token, ref: "main" };
    expect(await failure(runTrigger({ ...base, token: "glptt-nope" }))).toMatchObject({
      code: "not_found",
      message: "404 Not Found",
    });
    expect(await failure(runTrigger({ ...base, ref: "no-such-branch" }))).toMatchObject({
      code: "invalid_input",
      details: { fields: { base: "Reference not found" } },
    });
    expect(await failure(runTrigger({ ...base, variables: { SKIP_ME: "yes" } }))).toMatchObject({
      code: "invalid_input",
      message: "Pipeline filtered out by workflow rules.",
    });
    expect(await failure(runTrigger({ ...base, gitlabEvent: "Pipeline Hook" }))).toMatchObject({
      code: "forbidden",
    });
    // A revoked token opens nothing.
    await revokeTrigger({ db: f.t.db, actor: f.user, project: f.project, id: trigger.id });
    expect(await failure(runTrigger(base))).toMatchObject({ code: "not_found" });
  });
});

describe("pipeline schedules", () => {
  it("validates cron and time zone", async () => {
    const input = { description: "d", ref: "main", cron: "61 * * * *" };
    expect(
      (await failure(createSchedule({ db: f.t.db, actor: f.user, project: f.project, input }))).message,
    ).toMatch(/cron is invalid/);
    expect(
      (
        await failure(
          createSchedule({
            db: f.t.db,
            actor: f.user,
            project: f.project,
            input: { ...input, cron: "0 3 * * *", cronTimezone: "Mars/Base" },
          }),
        )
      ).message,
    ).toMatch(/cron_timezone is invalid/);
  });

  it("fires each tick exactly once with two scheduler loops running against one database", async () => {
    const s = await createSchedule({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      input: {
        description: "nightly",
        ref: "main",
        cron: "0 3 * * *",
        cronTimezone: "Europe/Berlin",
        variables: { FOO: "nightly" },
      },
    });
    expect(s.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    const count = () => f.t.db.pipeline.count({ where: { projectId: f.project.id, source: "schedule" } });
    const stops = [
      startScheduler({ db: f.t.db, maxSleepMs: 50 }),
      startScheduler({ db: f.t.db, maxSleepMs: 50 }),
    ];
    try {
      for (let tick = 1; tick <= 3; tick++) {
        // Make the schedule due now, as if its cron time had come.
        await f.t.db.pipelineSchedule.update({
          where: { id: s.id },
          data: { nextRunAt: new Date(Date.now() - 1000) },
        });
        const deadline = Date.now() + 10_000;
        while ((await count()) < tick && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        // Both loops pass several more times; neither may fire the same tick again.
        await new Promise((r) => setTimeout(r, 400));
        expect(await count()).toBe(tick);
      }
    } finally {
      for (const stop of stops) stop();
    }
    const row = await f.t.db.pipelineSchedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(row.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    const last = await f.t.db.pipeline.findUniqueOrThrow({ where: { id: row.lastPipelineId! } });
    expect(last).toMatchObject({ source: "schedule", userId: f.user.id, variables: { FOO: "nightly" } });
  });

  it("lets one of many racing passes claim a due tick", async () => {
    const s = await createSchedule({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      input: { description: "race", ref: "main", cron: "*/5 * * * *" },
    });
    await f.t.db.pipelineSchedule.update({
      where: { id: s.id },
      data: { nextRunAt: new Date(Date.now() - 1) },
    });
    const results = await Promise.all(Array.from({ length: 8 }, () => runDueSchedules({ db: f.t.db })));
    expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(1);
    await updateSchedule({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      id: s.id,
      input: { active: false },
    });
    const off = await f.t.db.pipelineSchedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(off.nextRunAt).toBeNull();
  });

  it("records why a tick created no pipeline", async () => {
    const s = await createSchedule({
      db: f.t.db,
      actor: f.user,
      project: f.project,
      input: { description: "gone", ref: "deleted-branch", cron: "0 * * * *" },
    });
    await f.t.db.pipelineSchedule.update({
      where: { id: s.id },
      data: { nextRunAt: new Date(Date.now() - 1) },
    });
    await runDueSchedules({ db: f.t.db });
    const row = await f.t.db.pipelineSchedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(row.lastError).toBe("Reference not found");
    expect(sha).toHaveLength(40);
  });
});
