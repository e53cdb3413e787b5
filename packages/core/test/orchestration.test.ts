/**
 * Orchestration on real Postgres and Redis without Docker (a "runner" here is claimJob/finishJob
 * calls): DAG needs, retries (automatic and manual), allow_failure exit codes, delayed jobs,
 * resource groups, timeouts, "why is this job pending?", and claim/finish races against the CAS.
 * Needs DATABASE_URL (server) and REDIS_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, JobStatus } from "@minilab/db";
import {
  claimJob,
  createPipeline,
  finishJob,
  pendingReason,
  promoteScheduledJob,
  reconcileJobs,
  registerRunner,
  retryJob,
  retryPipeline,
  runScheduledJobNow,
  startReconciler,
  unscheduleJob,
} from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

const ZERO = "0".repeat(40);
let f: CiFixture;
beforeAll(async () => {
  f = await ciFixture();
  // An online runner, so pending jobs are "queued" unless a test says otherwise.
  await f.t.db.runner.updateMany({ data: { contactedAt: new Date() } });
});
afterAll(async () => {
  await f?.close();
});

/** Latest attempts by name (what the pipeline graph shows). */
async function jobs(pipelineId: number): Promise<Map<string, Job>> {
  const rows = await f.t.db.job.findMany({ where: { pipelineId, retried: false }, orderBy: { id: "asc" } });
  return new Map(rows.map((j) => [j.name, j]));
}
async function statuses(pipelineId: number): Promise<Record<string, JobStatus>> {
  return Object.fromEntries([...(await jobs(pipelineId))].map(([n, j]) => [n, j.status]));
}
async function job(pipelineId: number, name: string): Promise<Job> {
  const j = (await jobs(pipelineId)).get(name);
  if (!j) throw new Error(`no job ${name}`);
  return j;
}
const pipelineRow = (id: number) => f.t.db.pipeline.findUniqueOrThrow({ where: { id } });

/** Claims the latest attempt of `name` and finishes it. */
async function run(
  pipelineId: number,
  name: string,
  state: "success" | "failed",
  extra: { exitCode?: number; failureReason?: string } = {},
) {
  const j = await job(pipelineId, name);
  const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: j.id });
  await finishJob({ db: f.t.db, jobId: j.id, jobToken: spec.token, state, ...extra });
  return j.id;
}

describe("DAG needs", () => {
  const YAML = `
stages: [build, test, deploy]
a: { stage: build, script: a }
slow: { stage: build, script: slow }
b: { stage: test, needs: [a], script: b }
lint: { stage: test, needs: [], script: lint }
c: { stage: test, script: c }
d: { stage: deploy, needs: [b], script: d }
`;
  it("starts a job as soon as its needs are done, needs: [] at once, stage jobs after their stage", async () => {
    const p = await f.pipelineOf(YAML);
    expect(await statuses(p.id)).toEqual({
      a: "pending",
      slow: "pending",
      b: "created",
      lint: "pending",
      c: "created",
      d: "created",
    });
    expect(await pendingReason({ db: f.t.db, jobId: (await job(p.id, "b")).id })).toMatchObject({
      kind: "needs",
      jobs: ["a"],
      message: "Waiting for needs: a",
    });
    expect(await pendingReason({ db: f.t.db, jobId: (await job(p.id, "c")).id })).toMatchObject({
      kind: "stage",
      jobs: ["a", "slow"],
    });
    await run(p.id, "a", "success");
    // b runs while `slow` (its stage's sibling) still runs; c waits for the whole build stage.
    expect(await statuses(p.id)).toMatchObject({ b: "pending", c: "created", slow: "pending" });
    await run(p.id, "b", "success");
    expect(await statuses(p.id)).toMatchObject({ d: "pending", c: "created" });
    await run(p.id, "slow", "success");
    expect((await statuses(p.id)).c).toBe("pending");
  });

  it("skips on_success dependents of a failed need, runs when: always and on_failure ones", async () => {
    const p = await f.pipelineOf(`
a: { stage: build, script: a }
next: { stage: test, needs: [a], script: n }
cleanup: { stage: test, needs: [a], when: always, script: c }
alert: { stage: test, needs: [a], when: on_failure, script: x }
after_next: { stage: test, needs: [next], script: y }
`);
    await run(p.id, "a", "failed");
    expect(await statuses(p.id)).toEqual({
      a: "failed",
      next: "skipped",
      cleanup: "pending",
      alert: "pending",
      // A skipped need skips its dependents in turn (same transaction).
      after_next: "skipped",
    });
  });

  it("ignores an optional need on a job the rules left out", async () => {
    const p = await f.pipelineOf(`
a: { stage: build, script: a, rules: [{ if: '$NOPE == "1"' }] }
b: { stage: test, needs: [{ job: a, optional: true }], script: b }
`);
    expect(await statuses(p.id)).toEqual({ b: "pending" });
  });

  it("a need on an unplayed manual job blocks its dependents", async () => {
    const p = await f.pipelineOf(`
approve: { stage: build, when: manual, script: ok }
ship: { stage: test, needs: [approve], script: ship }
`);
    expect(await statuses(p.id)).toEqual({ approve: "manual", ship: "created" });
    expect((await pipelineRow(p.id)).status).toBe("manual");
  });
});

describe("retry", () => {
  it("retries script failures up to max, hiding old attempts; other reasons are not retried", async () => {
    const p = await f.pipelineOf(`
flaky: { stage: build, script: f, retry: { max: 2, when: script_failure } }
next: { stage: test, script: n }
`);
    const first = await run(p.id, "flaky", "failed");
    const second = await run(p.id, "flaky", "failed");
    expect(second).not.toBe(first);
    const third = await run(p.id, "flaky", "failed");
    const all = await f.t.db.job.findMany({
      where: { pipelineId: p.id, name: "flaky" },
      orderBy: { id: "asc" },
    });
    expect(all.map((j) => [j.id, j.status, j.retried])).toEqual([
      [first, "failed", true],
      [second, "failed", true],
      [third, "failed", false],
    ]);
    expect(await statuses(p.id)).toEqual({ flaky: "failed", next: "skipped" });
    expect((await pipelineRow(p.id)).status).toBe("failed");

    const q = await f.pipelineOf(`
flaky: { script: f, retry: { max: 2, when: script_failure } }
`);
    await run(q.id, "flaky", "failed", { failureReason: "runner_system_failure" });
    expect(await f.t.db.job.count({ where: { pipelineId: q.id } })).toBe(1);
  });

  it("retries only listed exit codes", async () => {
    const p = await f.pipelineOf(`
flaky: { script: f, retry: { max: 1, exit_codes: [137] } }
`);
    await run(p.id, "flaky", "failed", { exitCode: 1 });
    expect(await f.t.db.job.count({ where: { pipelineId: p.id } })).toBe(1);
    const q = await f.pipelineOf(`
flaky: { script: f, retry: { max: 1, exit_codes: [137] } }
`);
    await run(q.id, "flaky", "failed", { exitCode: 137 });
    expect(await statuses(q.id)).toEqual({ flaky: "pending" });
    expect((await pipelineRow(q.id)).status).toBe("pending");
  });

  it("retryJob: a new attempt runs, skipped later stages come back, the pipeline can end green", async () => {
    const p = await f.pipelineOf(`
build: { stage: build, script: b }
test: { stage: test, script: t }
`);
    const old = await run(p.id, "build", "failed");
    expect(await statuses(p.id)).toEqual({ build: "failed", test: "skipped" });
    expect((await pipelineRow(p.id)).status).toBe("failed");

    const attempt = await retryJob({ db: f.t.db, jobId: old, userId: f.user.id });
    expect(attempt.id).not.toBe(old);
    expect(attempt.name).toBe("build");
    expect(await statuses(p.id)).toEqual({ build: "pending", test: "created" });
    expect((await pipelineRow(p.id)).status).toBe("pending");
    expect((await pipelineRow(p.id)).finishedAt).toBeNull();
    await expect(retryJob({ db: f.t.db, jobId: old, userId: null })).rejects.toMatchObject({
      code: "conflict",
    });

    await run(p.id, "build", "success");
    await run(p.id, "test", "success");
    expect((await pipelineRow(p.id)).status).toBe("success");
  });

  it("two racing retries of one job create one attempt", async () => {
    const p = await f.pipelineOf(`x: { script: x }`);
    const id = await run(p.id, "x", "failed");
    const results = await Promise.allSettled([
      retryJob({ db: f.t.db, jobId: id, userId: null }),
      retryJob({ db: f.t.db, jobId: id, userId: null }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await f.t.db.job.count({ where: { pipelineId: p.id } })).toBe(2);
  });

  it("retryPipeline retries every failed job and refuses a pipeline with none", async () => {
    const p = await f.pipelineOf(`
a: { script: a }
b: { script: b }
c: { script: c }
`);
    await run(p.id, "a", "failed");
    await run(p.id, "b", "success");
    await run(p.id, "c", "failed");
    await retryPipeline({ db: f.t.db, pipelineId: p.id, userId: null });
    expect(await statuses(p.id)).toEqual({ a: "pending", b: "success", c: "pending" });
    await run(p.id, "a", "success");
    await run(p.id, "c", "success");
    expect((await pipelineRow(p.id)).status).toBe("success");
    await expect(retryPipeline({ db: f.t.db, pipelineId: p.id, userId: null })).rejects.toMatchObject({
      code: "conflict",
    });
  });
});

describe("allow_failure", () => {
  it("exit_codes: a listed code is an allowed failure (passed with warnings), another fails", async () => {
    const yaml = `
lint: { script: l, allow_failure: { exit_codes: [3] } }
`;
    const p = await f.pipelineOf(yaml);
    expect((await job(p.id, "lint")).allowFailure).toBe(false);
    await run(p.id, "lint", "failed", { exitCode: 3 });
    expect(await pipelineRow(p.id)).toMatchObject({ status: "success", warnings: true });
    expect((await job(p.id, "lint")).allowFailure).toBe(true);

    const q = await f.pipelineOf(yaml);
    await run(q.id, "lint", "failed", { exitCode: 4 });
    expect(await pipelineRow(q.id)).toMatchObject({ status: "failed", warnings: false });
  });
});

describe("delayed jobs", () => {
  it("go to scheduled, start when due (timer), and can be run now or unscheduled", async () => {
    const p = await f.pipelineOf(`
later: { when: delayed, start_in: 1 second, script: l }
`);
    const j = await job(p.id, "later");
    expect(j.status).toBe("scheduled");
    expect(j.scheduledAt?.getTime()).toBeGreaterThan(Date.now() - 100);
    expect((await pipelineRow(p.id)).status).toBe("scheduled");
    expect(await pendingReason({ db: f.t.db, jobId: j.id })).toMatchObject({ kind: "scheduled" });
    // Not due yet: a timer firing early changes nothing.
    expect(await promoteScheduledJob({ db: f.t.db, jobId: j.id, now: new Date(Date.now() - 10_000) })).toBe(
      false,
    );
    const stop = startReconciler({ db: f.t.db, intervalMs: 60_000, log: { info() {}, error() {} } });
    try {
      await expect.poll(async () => (await job(p.id, "later")).status, { timeout: 5_000 }).toBe("pending");
    } finally {
      stop();
    }
    expect(await f.queuedJobIds()).toContain(j.id);

    const q = await f.pipelineOf(`
a: { when: delayed, start_in: 1 hour, script: a }
b: { when: delayed, start_in: 1 hour, script: b }
`);
    const a = await runScheduledJobNow({ db: f.t.db, jobId: (await job(q.id, "a")).id });
    expect(a.status).toBe("pending");
    const b = await unscheduleJob({ db: f.t.db, jobId: (await job(q.id, "b")).id });
    expect([b.status, b.scheduledAt]).toEqual(["manual", null]);
    await expect(unscheduleJob({ db: f.t.db, jobId: b.id })).rejects.toMatchObject({ code: "conflict" });
  });

  it("the reconciler starts a due scheduled job whose timer was lost", async () => {
    const p = await f.pipelineOf(`later: { when: delayed, start_in: 1 hour, script: l }`);
    const j = await job(p.id, "later");
    await f.t.db.job.update({ where: { id: j.id }, data: { scheduledAt: new Date(Date.now() - 1_000) } });
    expect(await reconcileJobs({ db: f.t.db })).toMatchObject({ promoted: 1 });
    expect((await job(p.id, "later")).status).toBe("pending");
  });
});

describe("stuck jobs", () => {
  it("a job pending for a day fails with stuck_or_timeout_failure and its pipeline moves on", async () => {
    const p = await f.pipelineOf(`
a: { stage: build, script: a }
notify: { stage: test, when: on_failure, script: n }
`);
    const a = await job(p.id, "a");
    await f.t.db.job.update({
      where: { id: a.id },
      data: { queuedAt: new Date(Date.now() - 25 * 3600_000) },
    });
    expect(await reconcileJobs({ db: f.t.db })).toMatchObject({ stuck: 1 });
    expect(await f.t.db.job.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({
      status: "failed",
      failureReason: "stuck_or_timeout_failure",
    });
    expect((await job(p.id, "notify")).status).toBe("pending");
  });
});

describe("resource_group", () => {
  it("runs one job per group at a time and hands over in order", async () => {
    const yaml = `deploy: { script: d, resource_group: production }`;
    const p1 = await f.pipelineOf(yaml);
    const p2 = await f.pipelineOf(yaml);
    const p3 = await f.pipelineOf(yaml);
    const d1 = await job(p1.id, "deploy");
    expect(d1.status).toBe("pending");
    expect((await job(p2.id, "deploy")).status).toBe("waiting_for_resource");
    expect((await job(p3.id, "deploy")).status).toBe("waiting_for_resource");
    expect(await pendingReason({ db: f.t.db, jobId: (await job(p2.id, "deploy")).id })).toMatchObject({
      kind: "resource_group",
      heldBy: d1.id,
    });
    await run(p1.id, "deploy", "success");
    expect((await job(p2.id, "deploy")).status).toBe("pending");
    expect((await job(p3.id, "deploy")).status).toBe("waiting_for_resource");
    await run(p2.id, "deploy", "failed");
    expect((await job(p3.id, "deploy")).status).toBe("pending");
  });

  it("the reconciler hands a free group over", async () => {
    const yaml = `deploy: { script: d, resource_group: staging }`;
    const p1 = await f.pipelineOf(yaml);
    const p2 = await f.pipelineOf(yaml);
    // The holder vanished without advancing anything (e.g. deleted behind our back).
    await f.t.db.job.update({ where: { id: (await job(p1.id, "deploy")).id }, data: { status: "skipped" } });
    expect(await reconcileJobs({ db: f.t.db })).toMatchObject({ assigned: 1 });
    expect((await job(p2.id, "deploy")).status).toBe("pending");
  });
});

describe("timeouts", () => {
  it("job timeout, else project build_timeout, capped by the runner maximum", async () => {
    await f.t.db.project.update({ where: { id: f.project.id }, data: { buildTimeout: 600 } });
    try {
      const p = await f.pipelineOf(`
plain: { script: p }
own: { script: o, timeout: 2h }
`);
      const claim = (name: string) =>
        job(p.id, name).then((j) => claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: j.id }));
      expect((await claim("plain")).timeoutSeconds).toBe(600);
      await f.t.db.runner.updateMany({ data: { maximumTimeout: 3600 } });
      expect((await claim("own")).timeoutSeconds).toBe(3600);
      expect((await job(p.id, "own")).timeout).toBe(3600);
    } finally {
      await f.t.db.project.update({ where: { id: f.project.id }, data: { buildTimeout: 3600 } });
      await f.t.db.runner.updateMany({ data: { maximumTimeout: null } });
    }
  });
});

describe("why is this job pending?", () => {
  it("names the tags no online runner has, then the queue position", async () => {
    // Earlier tests left jobs running on the fixture's runner: it would count as busy.
    await f.t.db.job.updateMany({ where: { status: "running" }, data: { status: "canceled" } });
    const p = await f.pipelineOf(`
gpu: { script: g, tags: [gpu, linux] }
one: { script: a }
two: { script: b }
`);
    expect(await pendingReason({ db: f.t.db, jobId: (await job(p.id, "gpu")).id })).toMatchObject({
      kind: "no_runner",
      message: "No online runner with tags [gpu, linux]",
    });
    const two = await pendingReason({ db: f.t.db, jobId: (await job(p.id, "two")).id });
    expect(two?.kind).toBe("queued");
    const one = await pendingReason({ db: f.t.db, jobId: (await job(p.id, "one")).id });
    expect(two?.position).toBeGreaterThan(one?.position ?? Infinity);

    const { token } = await registerRunner({ db: f.t.db, tags: ["gpu", "linux"] });
    await f.t.db.runner.updateMany({ where: { tags: { has: "gpu" } }, data: { contactedAt: new Date() } });
    const other = await f.pipelineOf(`busy: { script: x, tags: [gpu] }`);
    await claimJob({ db: f.t.db, runnerToken: token, jobId: (await job(other.id, "busy")).id });
    expect(await pendingReason({ db: f.t.db, jobId: (await job(p.id, "gpu")).id })).toMatchObject({
      kind: "runners_busy",
    });
  });
});

describe("load", () => {
  it("20 pipelines created at once all exist; a 500-job pipeline runs to exactly 500 results", async () => {
    const yaml = `x: { script: x }`;
    const shas = Array.from({ length: 20 }, (_, i) =>
      f.commit({ ".gitlab-ci.yml": yaml }, `c${i}`, `load-${i}`),
    );
    const created = await Promise.all(
      shas.map((sha, i) =>
        createPipeline({
          db: f.t.db,
          project: f.project,
          ref: `load-${i}`,
          tag: false,
          sha,
          beforeSha: ZERO,
          source: "push",
          userId: null,
        }),
      ),
    );
    expect(new Set(created.map((p) => p?.iid)).size).toBe(20);

    const wide = await f.pipelineOf(`
a: { script: a, parallel: 200 }
b: { script: b, parallel: 200 }
m: { script: m, parallel: { matrix: [{ X: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Y: [a, b, c, d, e, f, g, h, i, j] }] } }
`);
    const rows = await f.t.db.job.findMany({
      where: { pipelineId: wide.id },
      select: { id: true, status: true },
    });
    expect(rows).toHaveLength(500);
    expect(rows.every((r) => r.status === "pending")).toBe(true);
    for (const r of rows) {
      const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: r.id });
      await finishJob({ db: f.t.db, jobId: r.id, jobToken: spec.token, state: "success" });
    }
    expect((await pipelineRow(wide.id)).status).toBe("success");
    expect(await f.t.db.job.count({ where: { pipelineId: wide.id, status: "success" } })).toBe(500);
  }, 300_000);
});

describe("races against the compare-and-set", () => {
  it("two runners claiming one job: exactly one wins", async () => {
    const p = await f.pipelineOf(`x: { script: x }`);
    const { token } = await registerRunner({ db: f.t.db });
    const id = (await job(p.id, "x")).id;
    const results = await Promise.allSettled([
      claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: id }),
      claimJob({ db: f.t.db, runnerToken: token, jobId: id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
  });

  it("finish racing the stale-runner reconciler: one outcome, announced once", async () => {
    // Only this test's job may be stale: earlier tests' running jobs would count too.
    await f.t.db.job.updateMany({ where: { status: "running" }, data: { status: "canceled" } });
    const p = await f.pipelineOf(`x: { stage: build, script: x }\ny: { stage: test, script: y }`);
    const id = (await job(p.id, "x")).id;
    const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: id });
    await f.t.db.job.update({ where: { id }, data: { heartbeatAt: new Date(Date.now() - 120_000) } });
    const [finish, rec] = await Promise.all([
      finishJob({ db: f.t.db, jobId: id, jobToken: spec.token, state: "success" }),
      reconcileJobs({ db: f.t.db }),
    ]);
    const row = await f.t.db.job.findUniqueOrThrow({ where: { id } });
    expect(finish.status).toBe(row.status);
    expect(row.status === "success" ? rec.failedStale : 1 - rec.failedStale).toBe(0);
    // Whoever won, the next stage was decided exactly once.
    expect(await f.t.db.job.count({ where: { pipelineId: p.id, name: "y" } })).toBe(1);
    expect((await job(p.id, "y")).status).toBe(row.status === "success" ? "pending" : "skipped");
  });
});
