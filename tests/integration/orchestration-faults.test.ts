/**
 * Fault injection on the real stack (web app, Postgres, Redis, Docker) the test orchestrator started:
 * a runner killed with SIGKILL mid-job, Redis flushed under pending jobs, 20 concurrent pushes, and a
 * 500-job pipeline. Each test brings its own runner process with a unique tag, so it can kill it and
 * the stack's runner never takes its jobs. The reconciler in the web app does the recovering.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJobLog } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { createRedis } from "@minilab/queue";
import { git, testProject, webUrl, type TestProject } from "./support/stack-client.ts";
import { runnerProcess, type RunnerProcess } from "./support/runner-process.ts";
import { until } from "./support/until.ts";

const suite = webUrl && process.env["DATABASE_URL"] && process.env["REDIS_URL"] ? describe : describe.skip;
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let db: Db;
const runners: RunnerProcess[] = [];
beforeAll(() => {
  db = createDb(process.env["DATABASE_URL"] ?? "");
});
afterAll(async () => {
  for (const r of runners) await r.stop().catch(() => undefined);
  await db?.$disconnect();
});

async function ownRunner(env: Record<string, string> = {}): Promise<RunnerProcess> {
  const r = await runnerProcess(db, `fi-${uniq()}`, env);
  runners.push(r);
  return r;
}

async function pipelineOf(p: TestProject, sha: string) {
  for (let i = 0; i < 100; i++) {
    const row = await db.pipeline.findFirst({ where: { projectId: p.project.id, sha } });
    if (row) return row;
    await sleep(100);
  }
  throw new Error(`no pipeline for ${sha}`);
}

suite("orchestration under faults", () => {
  it("kill -9 of the runner mid-job: the job fails (runner_system_failure) within 60 s, keeping its log", async () => {
    const runner = await ownRunner({ MINILAB_RUNNER_EXECUTOR: "fake" });
    runner.start();
    const p = await testProject(db, "kill");
    const sha = await p.push(
      {
        ".gitlab-ci.yml": `
ticker:
  tags: [${runner.tag}]
  variables: { GIT_STRATEGY: none }
  script:
    - echo tick 1
    - echo tick 2
    - echo tick 3
    - sleep 120
`,
      },
      "ticker",
    );
    const pipeline = await pipelineOf(p, sha);
    const job = await until(
      "the job to log tick 3",
      async () => {
        const j = await db.job.findFirst({ where: { pipelineId: pipeline.id } });
        return j && (await readJobLog({ db, jobId: j.id })).toString().includes("tick 3") ? j : null;
      },
      60_000,
    );
    await runner.crash();
    const killedAt = Date.now();
    const ended = await until(
      "the job to end",
      async () => {
        const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
        return j.status === "failed" ? j : null;
      },
      70_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(ended.failureReason).toBe("runner_system_failure");
    const log = (await readJobLog({ db, jobId: job.id })).toString();
    expect(log).toContain("tick 3");
    expect(log).toContain("runner stopped reporting");
    expect((await db.pipeline.findUniqueOrThrow({ where: { id: pipeline.id } })).status).toBe("failed");
  }, 180_000);

  it("kill -9 with retry: runner_system_failure → a new attempt runs on a fresh runner and the pipeline passes", async () => {
    const runner = await ownRunner({ MINILAB_RUNNER_EXECUTOR: "fake" });
    runner.start();
    const p = await testProject(db, "killretry");
    const sha = await p.push(
      {
        ".gitlab-ci.yml": `
flaky:
  tags: [${runner.tag}]
  retry: { max: 1, when: runner_system_failure }
  variables: { GIT_STRATEGY: none }
  script:
    - echo started
    - sleep 4
`,
      },
      "retry",
    );
    const pipeline = await pipelineOf(p, sha);
    await until(
      "the job to run",
      () => db.job.findFirst({ where: { pipelineId: pipeline.id, status: "running" } }),
      60_000,
    );
    await runner.crash();
    // Same registration, new process: picks up the new attempt.
    runner.start();
    const done = await until(
      "the pipeline to finish",
      async () => {
        const row = await db.pipeline.findUniqueOrThrow({ where: { id: pipeline.id } });
        return ["success", "failed", "canceled"].includes(row.status) ? row : null;
      },
      90_000,
    );
    expect(done.status).toBe("success");
    const attempts = await db.job.findMany({ where: { pipelineId: pipeline.id }, orderBy: { id: "asc" } });
    expect(attempts.map((j) => [j.status, j.retried, j.failureReason])).toEqual([
      ["failed", true, "runner_system_failure"],
      ["success", false, null],
    ]);
  }, 240_000);

  it("FLUSHALL under pending jobs: they still run", async () => {
    const runner = await ownRunner({ MINILAB_RUNNER_EXECUTOR: "fake" });
    const p = await testProject(db, "flush");
    const sha = await p.push(
      {
        ".gitlab-ci.yml": `
a: { tags: [${runner.tag}], variables: { GIT_STRATEGY: none }, script: [echo a] }
b: { tags: [${runner.tag}], variables: { GIT_STRATEGY: none }, script: [echo b] }
`,
      },
      "flush",
    );
    const pipeline = await pipelineOf(p, sha);
    expect(await db.job.count({ where: { pipelineId: pipeline.id, status: "pending" } })).toBe(2);
    const redis = createRedis(process.env["REDIS_URL"] ?? "");
    await redis.flushall();
    await redis.quit();
    runner.start();
    const done = await until(
      "the pipeline to finish",
      async () => {
        const row = await db.pipeline.findUniqueOrThrow({ where: { id: pipeline.id } });
        return ["success", "failed", "canceled"].includes(row.status) ? row : null;
      },
      90_000,
    );
    expect(done.status).toBe("success");
  }, 180_000);

  it("20 concurrent pushes: 20 pipelines, every one finished", async () => {
    const runner = await ownRunner({ MINILAB_RUNNER_EXECUTOR: "fake", MINILAB_RUNNER_CONCURRENCY: "8" });
    runner.start();
    const p = await testProject(db, "burst");
    await p.push(
      {
        ".gitlab-ci.yml": `
job: { tags: [${runner.tag}], variables: { GIT_STRATEGY: none }, script: [echo $CI_COMMIT_REF_NAME] }
`,
      },
      "base",
    );
    const remote = new URL(`/${p.repo}.git`, webUrl);
    remote.username = p.user.username;
    remote.password = p.token;
    // 20 branches from the same commit, pushed by 20 git processes at once.
    const branches = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    const results = await Promise.allSettled(
      branches.map((b) => git(p.work, "push", "-q", remote.toString(), `HEAD:refs/heads/${b}`)),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const finished = await until(
      "20 finished pipelines",
      async () => {
        const rows = await db.pipeline.findMany({
          where: { projectId: p.project.id, ref: { in: branches } },
        });
        return rows.length === 20 && rows.every((r) => ["success", "failed", "canceled"].includes(r.status))
          ? rows
          : null;
      },
      120_000,
    );
    expect(new Set(finished.map((r) => r.ref)).size).toBe(20);
    expect(finished.map((r) => r.status)).toEqual(Array(20).fill("success"));
  }, 240_000);

  it("a 500-job pipeline (parallel + matrix) ends with exactly 500 job results", async () => {
    const runner = await ownRunner({ MINILAB_RUNNER_EXECUTOR: "fake", MINILAB_RUNNER_CONCURRENCY: "16" });
    runner.start();
    const p = await testProject(db, "wide");
    const job = (extra: string) =>
      `{ tags: [${runner.tag}], variables: { GIT_STRATEGY: none }, script: ["true"], ${extra} }`;
    const sha = await p.push(
      {
        ".gitlab-ci.yml": `
a: ${job("parallel: 200")}
b: ${job("parallel: 200")}
m: ${job("parallel: { matrix: [{ X: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Y: [a, b, c, d, e, f, g, h, i, j] }] }")}
`,
      },
      "wide",
    );
    const pipeline = await pipelineOf(p, sha);
    const done = await until(
      "the pipeline to finish",
      async () => {
        const row = await db.pipeline.findUniqueOrThrow({ where: { id: pipeline.id } });
        return ["success", "failed", "canceled"].includes(row.status) ? row : null;
      },
      300_000,
    );
    expect(done.status).toBe("success");
    const jobs = await db.job.findMany({
      where: { pipelineId: pipeline.id },
      select: { name: true, status: true },
    });
    expect(jobs).toHaveLength(500);
    expect(new Set(jobs.map((j) => j.name)).size).toBe(500);
    expect(jobs.every((j) => j.status === "success")).toBe(true);
  }, 420_000);
});
