/**
 * The web app down for longer than the reconciler's stale window (30 s) and the runner's old retry
 * budget (about a minute): 70 s. Real Postgres, Redis and Docker, default windows.
 *
 * The whole web app must be down, so this web process has a database of its own (a fresh migrated
 * one) and its own queue prefix: the stack's web app keeps running, but knows nothing of these jobs.
 * A runner of our own talks only to it. Two jobs run at once:
 * - `short` ends during the outage: the runner keeps its last log bytes and its finish until the web
 *   app is back, and the job ends `success` with its whole log;
 * - `long` runs through the outage and writes 1.5 MB while the web app is away (above the runner's
 *   normal 1 MiB backpressure bound): the job is not held back (its once-a-second lines keep their
 *   pace), and every byte is stored once, in order.
 * On restart the reconciler must not fail either job as silent: the runner could not report while the
 * web app was down, and it reports again within seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJobLog, registerRunner } from "@minilab/core";
import type { Db } from "@minilab/db";
import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { spawnRunner, type TestRunner } from "../../e2e/support/runner-process.ts";
import { testProject, webUrl } from "./support/stack-client.ts";
import { until } from "./support/until.ts";
import { webProcess, type WebProcess } from "./support/web-process.ts";

const suite =
  webUrl && process.env["DATABASE_URL"] && process.env["REDIS_URL"] && process.env["DOCKER_HOST"]
    ? describe
    : describe.skip;
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const OUTAGE_MS = 70_000;
const LONG_LINES = 100;
const SHORT_LINES = 25;
const BURST_AT = 30;
const BURST_LINES = 15_000;
const X99 = "x".repeat(99);

let t: TestDatabase | undefined;
let web: WebProcess | undefined;
let runner: TestRunner | undefined;
afterAll(async () => {
  await runner?.stop().catch(() => undefined);
  await web?.stop().catch(() => undefined);
  await t?.drop().catch(() => undefined);
});

/** `line-<n> <epoch seconds>` lines of a log, in order. */
const numbered = (log: string): { n: number; at: number }[] =>
  log
    .split("\n")
    .map((l) => /^line-(\d+) (\d+)\r?$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ n: Number(m[1]), at: Number(m[2]) }));

/** Chunk rows of a job cover its log from 0 to log_size with no gap or overlap. */
async function expectContiguous(db: Db, jobId: number, logSize: number): Promise<void> {
  const chunks = await db.$queryRaw<{ offset: number; len: number }[]>`
    SELECT "offset", length(data) AS len FROM job_log_chunks WHERE job_id = ${jobId} ORDER BY "offset"`;
  let next = 0;
  for (const c of chunks) {
    expect(Number(c.offset)).toBe(next);
    next += Number(c.len);
  }
  expect(next).toBe(logSize);
}

suite("web app down for longer than the stale window", () => {
  let db: Db;
  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.db;
  });

  it("jobs running through a 70 s outage finish with their whole log; none is failed as silent", async () => {
    const prefix = `mlout${uniq()}`;
    web = await webProcess({ DATABASE_URL: t!.url, MINILAB_QUEUE_PREFIX: prefix });
    await web.start();
    const tag = `out-${uniq()}`;
    const { runner: row, token } = await registerRunner({
      db,
      tags: [tag],
      runUntagged: false,
      description: tag,
    });
    runner = await spawnRunner({ id: row.id, token }, tag, {
      MINILAB_URL: web.url,
      MINILAB_QUEUE_PREFIX: prefix,
      MINILAB_RUNNER_CONCURRENCY: "2",
    });
    runner.start();
    const diagnostics = () =>
      `runner output:\n${runner?.output().slice(-6000)}\nweb output:\n${web?.output().slice(-4000)}`;

    const p = await testProject(db, "weboutage", web.url);
    const sha = await p.push(
      {
        ".gitlab-ci.yml": `
default:
  tags: [${tag}]
variables: { GIT_STRATEGY: none }
long:
  script:
    - for i in $(seq 1 ${LONG_LINES}); do echo "line-$i $(date +%s)"; if [ $i = ${BURST_AT} ]; then yes ${X99} | head -n ${BURST_LINES}; fi; sleep 1; done
short:
  script:
    - for i in $(seq 1 ${SHORT_LINES}); do echo "line-$i $(date +%s)"; sleep 1; done
`,
      },
      "outage",
    );
    const pipeline = await until(
      "the pipeline",
      () => db.pipeline.findFirst({ where: { projectId: p.project.id, sha } }),
      10_000,
    );
    const jobOf = (name: string) => db.job.findFirstOrThrow({ where: { pipelineId: pipeline.id, name } });
    const logOf = async (id: number) => (await readJobLog({ db, jobId: id })).toString();
    const [long, short] = await until(
      "both jobs to log line-5",
      async () => {
        const jobs = [await jobOf("long"), await jobOf("short")];
        for (const j of jobs) if (!/^line-5 /m.test(await logOf(j.id))) return null;
        return jobs;
      },
      120_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${diagnostics()}`);
    });

    await web.crash();
    const downAt = Date.now();
    await sleep(OUTAGE_MS);
    // Still running as far as the database knows, `short` has ended in its container meanwhile.
    expect((await jobOf("long")).status).toBe("running");
    expect((await jobOf("short")).status).toBe("running");
    await web.start();
    const upAt = Date.now();

    const finished = async (id: number) =>
      until(
        `job ${id} to finish`,
        async () => {
          const j = await db.job.findUniqueOrThrow({ where: { id } });
          return ["success", "failed", "canceled"].includes(j.status) ? j : null;
        },
        120_000,
      ).catch((e: unknown) => {
        throw new Error(`${String(e)}\n${diagnostics()}`);
      });
    const shortDone = await finished(short!.id);
    const longDone = await finished(long!.id);
    expect([shortDone.status, shortDone.failureReason], diagnostics()).toEqual(["success", null]);
    expect([longDone.status, longDone.failureReason], diagnostics()).toEqual(["success", null]);
    // `short` ended while the web app was down; its outcome arrived once it was back.
    expect(shortDone.finishedAt!.getTime()).toBeGreaterThanOrEqual(upAt - 1_000);
    expect(runner.output()).not.toContain("log upload incomplete");
    expect(runner.output()).not.toContain("could not report finish");

    const shortLog = await logOf(short!.id);
    expect(numbered(shortLog).map((l) => l.n)).toEqual(Array.from({ length: SHORT_LINES }, (_, i) => i + 1));
    const shortLines = numbered(shortLog);
    // Its last line was written during the outage.
    expect(shortLines.at(-1)!.at * 1000).toBeLessThan(upAt);

    const longLog = await logOf(long!.id);
    const lines = numbered(longLog);
    expect(lines.map((l) => l.n)).toEqual(Array.from({ length: LONG_LINES }, (_, i) => i + 1));
    expect(longLog.split("\n").filter((l) => l === X99)).toHaveLength(BURST_LINES);
    // The burst was written while the web app was down…
    expect(lines[BURST_AT - 1]!.at * 1000).toBeGreaterThan(downAt);
    expect(lines[BURST_AT - 1]!.at * 1000).toBeLessThan(upAt);
    // …and did not hold the job back: its lines kept their once-a-second pace through the outage.
    const gaps = lines.slice(1).map((l, i) => l.at - lines[i]!.at);
    expect(Math.max(...gaps), diagnostics()).toBeLessThanOrEqual(6);
    expect(longLog).toContain("Job succeeded");

    await expectContiguous(db, short!.id, shortDone.logSize);
    await expectContiguous(db, long!.id, longDone.logSize);
    expect(longDone.logSize).toBe(Buffer.byteLength(longLog));
  }, 400_000);
});
