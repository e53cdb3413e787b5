/**
 * Opening a 50 MB job log on its last lines, server side: the line number of the tail window's first
 * line. Before (up to 2026-11-28): Postgres counted the newlines of every earlier chunk; now each
 * chunk stores a running count (`job_log_chunks.newlines_end`) and the window reads only its own
 * chunks. Both run here on the same rows (the old query is kept below for the comparison only).
 *
 * Needs DATABASE_URL (`npm run bench -- log-window` provides one). BENCH_BIG_LOG_MB, BENCH_RUNS.
 */
import { readJobLogWindow } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { appendBigLog } from "./log-latency/big-log.ts";

const TAIL = 64 * 1024;

async function oldNewlineCount(db: Db, jobId: number, before: number): Promise<number> {
  const rows = await db.$queryRaw<{ n: bigint | null }[]>`
    SELECT sum(length(e) - length(replace(e, E'\n', ''))) AS n FROM (
      SELECT encode(CASE WHEN "offset" + length(data) > ${before}
                         THEN substring(data FROM 1 FOR ${before} - "offset") ELSE data END, 'escape') AS e
      FROM job_log_chunks WHERE job_id = ${jobId} AND "offset" < ${before}) c`;
  return Number(rows[0]?.n ?? 0);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const url = process.env["DATABASE_URL"];
  if (!url) throw new Error("DATABASE_URL is not set: run this through `npm run bench`");
  const db = createDb(url);
  const mb = Number(process.env["BENCH_BIG_LOG_MB"] ?? 50);
  const runs = Number(process.env["BENCH_RUNS"] ?? 7);
  try {
    const suffix = Date.now().toString(36);
    const user = await db.user.create({
      data: {
        username: `logwin-${suffix}`,
        email: `logwin-${suffix}@example.com`,
        name: "Bench",
        passwordHash: "x",
      },
    });
    const project = await db.project.create({
      data: { namespace: user.username, path: "logwin", name: "logwin", ownerId: user.id },
    });
    const pipeline = await db.pipeline.create({
      data: {
        iid: 1,
        projectId: project.id,
        ref: "main",
        sha: "a".repeat(40),
        beforeSha: "0".repeat(40),
        source: "push",
      },
    });
    const job = await db.job.create({
      data: {
        pipelineId: pipeline.id,
        projectId: project.id,
        name: "big",
        stage: "test",
        stageIdx: 0,
        spec: {},
        status: "success",
      },
    });
    await appendBigLog(db, job.id, mb * 1024 * 1024);
    const { logSize } = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    const from = logSize - TAIL;
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [tOld, nOld] = await timed(() => oldNewlineCount(db, job.id, from));
      const [tNew, w] = await timed(() => readJobLogWindow({ db, jobId: job.id, end: logSize, limit: TAIL }));
      // Same answer both ways: the window starts after the first newline at or past `from`.
      if (nOld + 2 !== w.firstLine) throw new Error(`line numbers differ: ${nOld + 2} vs ${w.firstLine}`);
      before.push(tOld);
      after.push(tNew);
    }
    console.log(
      `tail window of a ${(logSize / 1024 / 1024).toFixed(1)} MB log, median of ${runs}: ` +
        `before (count newlines in Postgres) ${median(before).toFixed(1)} ms; ` +
        `after (stored running count, whole window read) ${median(after).toFixed(1)} ms`,
    );
    await db.project.delete({ where: { id: project.id } });
    await db.user.delete({ where: { id: user.id } });
  } finally {
    await db.$disconnect();
  }
}

await main();
