/**
 * Restart of the web app mid-job (issue 5), on the real stack (Postgres, Redis, Docker): a web process
 * of our own, started from the same build with the stack's database, Redis and data dir, and a runner
 * of our own (unique tag) that talks only to it, so this web process is the one that claims the job
 * and receives its whole log. Mid-job the web process is killed with SIGKILL and started again on the
 * same port; the runner keeps the unacknowledged bytes and resends them from the acknowledged offset,
 * so the job ends `success` with every line of its log stored once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJobLog } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { runnerProcess, type RunnerProcess } from "./support/runner-process.ts";
import { testProject, webUrl } from "./support/stack-client.ts";
import { webProcess, type WebProcess } from "./support/web-process.ts";
import { until } from "./support/until.ts";

const suite =
  webUrl && process.env["DATABASE_URL"] && process.env["REDIS_URL"] && process.env["DOCKER_HOST"]
    ? describe
    : describe.skip;
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LINES = 60;

let db: Db;
let web: WebProcess | undefined;
let runner: RunnerProcess | undefined;
beforeAll(() => {
  db = createDb(process.env["DATABASE_URL"] ?? "");
});
afterAll(async () => {
  await runner?.stop().catch(() => undefined);
  await web?.stop().catch(() => undefined);
  await db?.$disconnect();
});

/** The `line-<n>` lines of a log, in the order they appear (the echoed command line is not one). */
const numberedLines = (log: string): string[] =>
  log.split("\n").filter((l) => /^line-\d+$/.test(l.replace(/\r$/, "")));

suite("web app restart mid-job", () => {
  it("kill -9 and restart of the web app the runner talks to: the job finishes and its full log is there", async () => {
    web = await webProcess();
    await web.start();
    runner = await runnerProcess(db, `wr-${uniq()}`, { MINILAB_URL: web.url });
    runner.start();
    const diagnostics = () =>
      `runner output:\n${runner?.output()}\nweb output:\n${web?.output().slice(-4000)}`;

    const p = await testProject(db, "webrestart");
    const sha = await p.push(
      {
        ".gitlab-ci.yml": `
count:
  tags: [${runner.tag}]
  variables: { GIT_STRATEGY: none }
  script:
    - for i in $(seq 1 ${LINES}); do echo line-$i; sleep 0.25; done
`,
      },
      "count",
    );
    const pipeline = await until(
      "the pipeline",
      () => db.pipeline.findFirst({ where: { projectId: p.project.id, sha } }),
      10_000,
    );
    const job = await until(
      "the job to log line-10",
      async () => {
        const j = await db.job.findFirst({ where: { pipelineId: pipeline.id } });
        return j && /^line-10$/m.test((await readJobLog({ db, jobId: j.id })).toString()) ? j : null;
      },
      90_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${diagnostics()}`);
    });
    expect(job.runnerId).toBe(runner.id);

    await web.crash();
    const atKill = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    const loggedAtKill = numberedLines((await readJobLog({ db, jobId: job.id })).toString());
    // Mid-job: still running, and most of the log is still to come.
    expect(atKill.status).toBe("running");
    expect(loggedAtKill.length).toBeLessThan(LINES / 2);
    await sleep(3000);
    await web.start();

    const done = await until(
      "the job to finish",
      async () => {
        const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
        return ["success", "failed", "canceled"].includes(j.status) ? j : null;
      },
      120_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${diagnostics()}`);
    });
    expect(done.status, diagnostics()).toBe("success");
    expect(runner.output()).not.toContain("log upload incomplete");

    const expected = Array.from({ length: LINES }, (_, i) => `line-${i + 1}`);
    const stored = (await readJobLog({ db, jobId: job.id })).toString();
    expect(numberedLines(stored)).toEqual(expected);
    expect(stored).toContain("Job succeeded");
    // The same through API v4 on the stack's web app, and the stored size is the bytes the runner sent.
    const trace = await p.text(`/projects/${encodeURIComponent(p.repo)}/jobs/${job.id}/trace`);
    expect(numberedLines(trace)).toEqual(expected);
    expect(done.logSize).toBe(Buffer.byteLength(stored));
    const chunks = await db.$queryRaw<{ offset: number; len: number }[]>`
      SELECT "offset", length(data) AS len FROM job_log_chunks WHERE job_id = ${job.id} ORDER BY "offset"`;
    let next = 0;
    for (const c of chunks) {
      expect(Number(c.offset)).toBe(next);
      next += Number(c.len);
    }
    expect(next).toBe(done.logSize);
  }, 240_000);
});
