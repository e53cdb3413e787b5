/**
 * The reconciler against real Postgres and Redis: jobs whose runner went silent or overran fail with a
 * final log line and advance their pipeline; pending jobs that lost their dispatch get one again.
 * Needs DATABASE_URL (server) and REDIS_URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dispatchId, StatusEvent } from "@minilab/contracts";
import type { Db } from "@minilab/db";
import { getJobsQueue, liveChannels, subscribe } from "@minilab/queue";
import {
  appendJobLog,
  claimJob,
  createPipeline,
  finishJob,
  readJobLog,
  reconcileJobs,
  recordWebLiveness,
  startReconciler,
  TIMEOUT_GRACE_MS,
} from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

const BUILD_THEN_TEST = `
stages: [build, test]
compile:
  stage: build
  script: make
unit:
  stage: test
  script: npm test
`;
const STALE_LINE = "\nERROR: the runner stopped reporting; job failed (runner_system_failure)\n";
const ZERO = "0".repeat(40);
const ago = (ms: number) => new Date(Date.now() - ms);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let f: CiFixture;
let db: Db;
beforeAll(async () => {
  f = await ciFixture();
  db = f.t.db;
});
afterAll(async () => {
  await f?.close();
});
// Each case counts what one reconcile run did across the whole database, so none may inherit live
// jobs or dispatches from an earlier case.
beforeEach(async () => {
  await db.job.updateMany({
    where: { status: { in: ["created", "pending", "running"] } },
    data: { status: "canceled" },
  });
  await getJobsQueue().drain(true);
  // No web liveness recorded: silence is judged on heartbeats alone unless a case sets it up.
  await db.webLiveness.deleteMany();
});

async function startPipeline() {
  const sha = f.commit({ ".gitlab-ci.yml": BUILD_THEN_TEST });
  const p = await createPipeline({
    db,
    project: f.project,
    ref: "main",
    tag: false,
    sha,
    beforeSha: ZERO,
    source: "push",
    userId: f.user.id,
  });
  if (!p) throw new Error("expected a pipeline");
  const jobs = await db.job.findMany({ where: { pipelineId: p.id }, orderBy: { stageIdx: "asc" } });
  const [compile, unit] = jobs;
  if (!compile || !unit) throw new Error("expected two jobs");
  return { pipeline: p, compile, unit };
}

/** A pipeline whose first job a runner claimed and logged `hello\n` for. */
async function runningJob() {
  const started = await startPipeline();
  const spec = await claimJob({ db, runnerToken: f.runnerToken, jobId: started.compile.id });
  await appendJobLog({ db, jobId: spec.id, jobToken: spec.token, start: 0, data: Buffer.from("hello\n") });
  return { ...started, spec };
}

const jobRow = (id: number) => db.job.findUniqueOrThrow({ where: { id } });
const logOf = async (id: number) => (await readJobLog({ db, jobId: id })).toString();

/** Job status events for `jobId` published while `fn` runs (and shortly after). */
async function jobEventsDuring(jobId: number, fn: () => Promise<unknown>): Promise<StatusEvent[]> {
  const seen: StatusEvent[] = [];
  const unsubscribe = await subscribe(
    process.env["REDIS_URL"] ?? "",
    liveChannels().projectStatus(f.project.id),
    (m) => seen.push(StatusEvent.parse(JSON.parse(m))),
  );
  try {
    await fn();
    await sleep(300);
  } finally {
    await unsubscribe();
  }
  return seen.filter((e) => e.kind === "job" && e.id === jobId);
}

describe("heartbeats", () => {
  it("claim sets heartbeat_at; uploads bump it, bare heartbeats at most every 5 s", async () => {
    const { spec } = await runningJob();
    expect((await jobRow(spec.id)).heartbeatAt?.getTime()).toBeGreaterThan(Date.now() - 5_000);

    const heartbeat = () =>
      appendJobLog({ db, jobId: spec.id, jobToken: spec.token, start: 6, data: Buffer.alloc(0) });
    const recent = ago(2_000);
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: recent } });
    await heartbeat();
    expect((await jobRow(spec.id)).heartbeatAt).toEqual(recent);

    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: ago(6_000) } });
    await heartbeat();
    expect((await jobRow(spec.id)).heartbeatAt?.getTime()).toBeGreaterThan(Date.now() - 2_000);

    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: recent } });
    await appendJobLog({ db, jobId: spec.id, jobToken: spec.token, start: 6, data: Buffer.from("x") });
    const row = await jobRow(spec.id);
    expect(row.heartbeatAt?.getTime()).toBeGreaterThan(Date.now() - 2_000);
    expect(row.logSize).toBe(7);
  });
});

describe("reconcileJobs", () => {
  it("fails a job whose runner went silent, appends a last line and advances the pipeline", async () => {
    const { pipeline, spec, unit } = await runningJob();
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: ago(61_000) } });

    expect(await reconcileJobs({ db })).toMatchObject({ requeued: 0, failedStale: 1, timedOut: 0 });

    const job = await jobRow(spec.id);
    expect([job.status, job.failureReason, job.tokenHash]).toEqual(["failed", "runner_system_failure", null]);
    expect(job.finishedAt).not.toBeNull();
    const log = await logOf(spec.id);
    expect(log).toBe(`hello\n${STALE_LINE}`);
    expect(job.logSize).toBe(Buffer.byteLength(log));
    expect((await jobRow(unit.id)).status).toBe("skipped");
    expect((await db.pipeline.findUniqueOrThrow({ where: { id: pipeline.id } })).status).toBe("failed");

    // A runner that comes back can no longer write; its finish is answered with the outcome.
    await expect(
      appendJobLog({ db, jobId: spec.id, jobToken: spec.token, start: 6, data: Buffer.from("late") }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await finishJob({ db, jobId: spec.id, jobToken: spec.token, state: "success" })).toEqual({
      status: "failed",
    });
    expect(await logOf(spec.id)).toBe(log);
  });

  it("falls back to started_at for a running job without heartbeat", async () => {
    const { spec } = await runningJob();
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: null, startedAt: ago(61_000) } });
    expect(await reconcileJobs({ db })).toMatchObject({ failedStale: 1 });
    expect((await jobRow(spec.id)).failureReason).toBe("runner_system_failure");
  });

  it("leaves a job with a recent heartbeat alone", async () => {
    const { spec } = await runningJob();
    await db.job.update({
      where: { id: spec.id },
      data: { startedAt: ago(10 * 60_000), heartbeatAt: ago(20_000) },
    });

    expect(await reconcileJobs({ db })).toMatchObject({ requeued: 0, failedStale: 0, timedOut: 0 });
    const job = await jobRow(spec.id);
    expect([job.status, job.failureReason]).toEqual(["running", null]);
    expect(await logOf(spec.id)).toBe("hello\n");
    // A shorter staleness window does apply.
    expect(await reconcileJobs({ db, staleAfterMs: 10_000 })).toMatchObject({ failedStale: 1 });
  });

  it("fails a job running past its timeout plus grace, even while its runner heartbeats", async () => {
    const { spec } = await runningJob();
    expect(spec.timeoutSeconds).toBe(3600);
    const within = new Date(Date.now() - 3600_000 - TIMEOUT_GRACE_MS + 5_000);
    await db.job.update({ where: { id: spec.id }, data: { startedAt: within } });
    expect(await reconcileJobs({ db })).toMatchObject({ requeued: 0, failedStale: 0, timedOut: 0 });

    await db.job.update({
      where: { id: spec.id },
      data: { startedAt: ago(3600_000 + TIMEOUT_GRACE_MS + 1_000) },
    });
    expect(await reconcileJobs({ db })).toMatchObject({ requeued: 0, failedStale: 0, timedOut: 1 });
    const job = await jobRow(spec.id);
    expect([job.status, job.failureReason, job.tokenHash]).toEqual(["failed", "job_execution_timeout", null]);
    expect(await logOf(spec.id)).toBe(
      "hello\n\nERROR: Job failed: execution took longer than 3600 seconds (job_execution_timeout)\n",
    );
  });

  it("uses the job's own timeout, the same one the runner was given at claim", async () => {
    const { compile } = await startPipeline();
    const rowSpec = compile.spec as Record<string, unknown>;
    await db.job.update({ where: { id: compile.id }, data: { spec: { ...rowSpec, timeoutSeconds: 30 } } });
    const spec = await claimJob({ db, runnerToken: f.runnerToken, jobId: compile.id });
    expect(spec.timeoutSeconds).toBe(30);
    await db.job.update({
      where: { id: spec.id },
      data: { startedAt: ago(30_000 + TIMEOUT_GRACE_MS + 1_000) },
    });
    expect(await reconcileJobs({ db })).toMatchObject({ timedOut: 1 });
    expect(await logOf(spec.id)).toContain("longer than 30 seconds");
  });

  it("re-enqueues a pending job whose dispatch vanished from Redis, once", async () => {
    const { compile } = await startPipeline();
    expect(await f.queuedJobIds()).toEqual([compile.id]);
    await (await getJobsQueue().getJob(dispatchId(compile.id)))?.remove();
    expect(await f.queuedJobIds()).toEqual([]);

    // A fresh pending job may be mid-enqueue: left alone.
    expect(await reconcileJobs({ db })).toMatchObject({ requeued: 0 });
    expect(await f.queuedJobIds()).toEqual([]);

    await db.job.update({ where: { id: compile.id }, data: { queuedAt: ago(10_000) } });
    expect(await reconcileJobs({ db })).toMatchObject({ requeued: 1, failedStale: 0, timedOut: 0 });
    expect(await f.queuedJobIds()).toEqual([compile.id]);
    expect(await reconcileJobs({ db })).toMatchObject({ requeued: 0 });
    expect(await f.queuedJobIds()).toEqual([compile.id]);
  });

  it("fails a stale job once when several reconcilers race", async () => {
    const { spec } = await runningJob();
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: ago(120_000) } });

    let results: Awaited<ReturnType<typeof reconcileJobs>>[] = [];
    const events = await jobEventsDuring(spec.id, async () => {
      results = await Promise.all([reconcileJobs({ db }), reconcileJobs({ db }), reconcileJobs({ db })]);
    });

    expect(results.reduce((n, r) => n + r.failedStale, 0)).toBe(1);
    expect(events.map((e) => e.status)).toEqual(["failed"]);
    expect(await logOf(spec.id)).toBe(`hello\n${STALE_LINE}`);
    expect(await db.jobLogChunk.count({ where: { jobId: spec.id } })).toBe(2);
  });
});

describe("a web app outage is not runner silence", () => {
  it("judges no job silent until the web app has been back for the stale window", async () => {
    const { spec } = await runningJob();
    // The web app (its only process) beat until 90 s ago, then was down; the runner's last report
    // landed just before the outage.
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms);
    await recordWebLiveness(db, at(-600_000));
    for (let t = -598_000; t <= -90_000; t += 2_000) await recordWebLiveness(db, at(t));
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: at(-95_000) } });

    // Back up: the first beat opens a new run of uptime; the stale job is left running.
    const upSince = await recordWebLiveness(db, at(0));
    expect(upSince).toEqual(at(0));
    expect(await reconcileJobs({ db, now: at(0) })).toMatchObject({ failedStale: 0 });
    expect(await reconcileJobs({ db, now: at(20_000), webUpSince: upSince })).toMatchObject({
      failedStale: 0,
    });
    expect((await jobRow(spec.id)).status).toBe("running");

    // The runner reports again 15 s after the restart: once silence is judged again, the job is fine.
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: at(15_000) } });
    for (let t = 2_000; t <= 35_000; t += 2_000) await recordWebLiveness(db, at(t));
    expect(await reconcileJobs({ db, now: at(35_000) })).toMatchObject({ failedStale: 0 });
    expect((await jobRow(spec.id)).status).toBe("running");
    // …and silence after that is counted again.
    for (let t = 37_000; t <= 46_000; t += 2_000) await recordWebLiveness(db, at(t));
    expect(await reconcileJobs({ db, now: at(46_000) })).toMatchObject({ failedStale: 1 });
  });

  it("still fails a dead runner's job once the web app has been up for the window (within 60 s of the restart)", async () => {
    const { spec } = await runningJob();
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms);
    await recordWebLiveness(db, at(-300_000));
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: at(-200_000) } });
    // A gap of 5 minutes, then beats every 2 s from the restart on; the runner never reports.
    for (let t = 0; t < 30_000; t += 2_000) {
      await recordWebLiveness(db, at(t));
      expect(await reconcileJobs({ db, now: at(t) })).toMatchObject({ failedStale: 0 });
    }
    await recordWebLiveness(db, at(32_000));
    expect(await reconcileJobs({ db, now: at(32_000) })).toMatchObject({ failedStale: 1 });
    expect((await jobRow(spec.id)).failureReason).toBe("runner_system_failure");
  });

  it("with several web processes, one restarting alone does not delay failing a dead runner's job", async () => {
    const { spec } = await runningJob();
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms);
    // Process A beats all along (every 2 s); process B restarts at t=0 after being down.
    for (let t = -120_000; t <= 0; t += 2_000) await recordWebLiveness(db, at(t));
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: at(-60_000) } });
    const upSinceSeenByB = await recordWebLiveness(db, at(500));
    expect(upSinceSeenByB).toEqual(at(-120_000));
    expect(await reconcileJobs({ db, now: at(500), webUpSince: upSinceSeenByB })).toMatchObject({
      failedStale: 1,
    });
  });

  it("a reconcile long after the last beat counts the gap up to now", async () => {
    const { spec } = await runningJob();
    await recordWebLiveness(db, ago(600_000));
    await recordWebLiveness(db, ago(120_000));
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: ago(120_000) } });
    expect(await reconcileJobs({ db })).toMatchObject({ failedStale: 0 });
  });
});

describe("startReconciler", () => {
  it("runs right away, keeps running after errors, and stops", async () => {
    const { spec } = await runningJob();
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: ago(120_000) } });
    // The web app has been up for longer than the stale window (its first beat 5 minutes ago).
    await recordWebLiveness(db, ago(300_000));
    for (let t = 298_000; t >= 0; t -= 2_000) await recordWebLiveness(db, ago(t));
    const infos: string[] = [];
    const errors: unknown[] = [];
    const log = { info: (m: string) => infos.push(m), error: (_m: string, e: unknown) => errors.push(e) };

    const stop = startReconciler({ db, intervalMs: 60_000, log });
    await expect.poll(() => infos.length).toBe(1);
    stop();
    expect((await jobRow(spec.id)).status).toBe("failed");
    expect(infos[0]).toContain("failed 1 silent");

    let calls = 0;
    const down = () => {
      calls += 1;
      return Promise.reject(new Error("database down"));
    };
    const broken = { $queryRaw: down, job: { findMany: down } } as unknown as Db;
    const stopBroken = startReconciler({ db: broken, intervalMs: 10, log });
    await expect.poll(() => errors.length).toBeGreaterThanOrEqual(3);
    stopBroken();
    const after = calls;
    await sleep(50);
    expect(calls).toBe(after);
    expect(errors[0]).toMatchObject({ message: "database down" });
  });
});
