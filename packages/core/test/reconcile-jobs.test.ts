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

describe("startReconciler", () => {
  it("runs right away, keeps running after errors, and stops", async () => {
    const { spec } = await runningJob();
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: ago(120_000) } });
    const infos: string[] = [];
    const errors: unknown[] = [];
    const log = { info: (m: string) => infos.push(m), error: (_m: string, e: unknown) => errors.push(e) };

    const stop = startReconciler({ db, intervalMs: 60_000, log });
    await expect.poll(() => infos.length).toBe(1);
    stop();
    expect((await jobRow(spec.id)).status).toBe("failed");
    expect(infos[0]).toContain("failed 1 silent");

    let calls = 0;
    const broken = {
      job: {
        findMany: () => {
          calls += 1;
          return Promise.reject(new Error("database down"));
        },
      },
    } as unknown as Db;
    const stopBroken = startReconciler({ db: broken, intervalMs: 10, log });
    await expect.poll(() => errors.length).toBeGreaterThanOrEqual(3);
    stopBroken();
    const after = calls;
    await sleep(50);
    expect(calls).toBe(after);
    expect(errors[0]).toMatchObject({ message: "database down" });
  });
});
