/**
 * Live log latency and big-log page benchmark (issue 7).
 *
 * 1. A job prints BENCH_LOG_LINES (default 300) lines, 20 ms apart, each stamped with the container's
 *    µs clock; an SSE client on the job's trace stream records arrival → p50/p95 (goal p95 ≤ 100 ms).
 * 2. A 50 MB stored log: Chromium opens the job page in a fresh profile, in a new tab of a browser
 *    that has seen the app, and in the same tab coming from another page; time to the last line on
 *    screen (goal ≤ 300 ms), first contentful paint, JS heap and DOM nodes; for scale, the FCP of
 *    the project's overview page and of a bare HTML page in a fresh profile.
 *
 * Needs the stack `npm run bench -- log-latency` starts (MINILAB_WEB_URL, DATABASE_URL, …).
 * BENCH_LOG_PAGE_ONLY=1 skips part 1 (the 50 MB log then goes to a job created in the database).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createDb } from "@minilab/db";
import { appendBigLog, measureFcp, measurePage, VIEWS, type PageRun } from "./log-latency/big-log.ts";
import { benchProject, pct } from "./log-latency/setup.ts";
import { latencyCi, measureSse, summary } from "./log-latency/sse-latency.ts";

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through \`npm run bench\``);
  return v;
}

async function waitFinished(db: ReturnType<typeof createDb>, jobId: number): Promise<string> {
  for (;;) {
    const j = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (["success", "failed", "canceled"].includes(j.status)) return j.status;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const webUrl = need("MINILAB_WEB_URL");
  const db = createDb(need("DATABASE_URL"));
  const lines = Number(process.env["BENCH_LOG_LINES"] ?? 300);
  const mb = Number(process.env["BENCH_BIG_LOG_MB"] ?? 50);
  try {
    const p = await benchProject(db, webUrl, "loglat");
    if (process.env["BENCH_LOG_PAGE_ONLY"]) {
      await bigLogPage(db, `${webUrl}${p.base}`, await finishedJob(db, p.projectId), mb);
      return;
    }
    // Warm-up pipeline (image, first compile of routes), not measured.
    const warm = await p.firstJob(await p.push(latencyCi(5), "warm up"));
    await measureSse(`${webUrl}${p.base}/-/jobs/${warm}/trace.stream?from=0`);

    const jobId = await p.firstJob(await p.push(latencyCi(lines), "latency"));
    const lat = await measureSse(`${webUrl}${p.base}/-/jobs/${jobId}/trace.stream?from=0`);
    console.log(`log latency (container clock → SSE client), ${lines} lines 20 ms apart: ${summary(lat)}`);
    if (lat.length < lines) console.log(`  only ${lat.length} of ${lines} stamped lines arrived`);

    await waitFinished(db, jobId);
    await bigLogPage(db, `${webUrl}${p.base}`, jobId, mb);
  } finally {
    await db.$disconnect();
  }
}

/** A finished job with an empty log, straight in the database (no runner needed). */
async function finishedJob(db: ReturnType<typeof createDb>, projectId: number): Promise<number> {
  const pipeline = await db.pipeline.create({
    data: { iid: 1, projectId, ref: "main", sha: "a".repeat(40), beforeSha: "0".repeat(40), source: "push" },
  });
  const job = await db.job.create({
    data: {
      pipelineId: pipeline.id,
      projectId,
      name: "big",
      stage: "test",
      stageIdx: 0,
      spec: {},
      status: "success",
    },
  });
  return job.id;
}

async function bigLogPage(db: ReturnType<typeof createDb>, base: string, jobId: number, mb: number) {
  const status = (await db.job.findUniqueOrThrow({ where: { id: jobId } })).status;
  await appendBigLog(db, jobId, mb * 1024 * 1024);
  const size = (await db.job.findUniqueOrThrow({ where: { id: jobId } })).logSize;
  console.log(`big log: job ${jobId} (${status}), ${(size / 1024 / 1024).toFixed(1)} MB stored`);
  const byView = await measurePage(`${base}/-/jobs/${jobId}`, base, 11);
  console.log(`job page over ${mb} MB, p50 of 10 loads per view (each view's first load not counted):`);
  const p50 = (runs: readonly PageRun[], k: keyof PageRun) =>
    pct(
      runs.map((r) => r[k]),
      50,
    );
  for (const view of VIEWS) {
    const runs = byView[view].slice(1);
    console.log(
      `  ${view}: last line on screen p50=${p50(runs, "lastLineMs").toFixed(0)} ms ` +
        `max=${Math.max(...runs.map((r) => r.lastLineMs)).toFixed(0)} ms; FCP p50=${p50(runs, "fcpMs").toFixed(0)} ms; ` +
        `HTML first/last byte ${p50(runs, "ttfbMs").toFixed(0)}/${p50(runs, "htmlEndMs").toFixed(0)} ms`,
    );
  }
  // Heap and node counts of the renderer: only a fresh profile's hold this page alone.
  const fresh = byView["fresh profile"];
  console.log(
    `  page (fresh profile): ${p50(fresh.slice(1), "htmlKb").toFixed(0)} KB of HTML, JS heap ${p50(fresh.slice(1), "heapMb").toFixed(1)} MB, ` +
      `DOM nodes ${p50(fresh.slice(1), "domNodes")}; the very first load: last line ${fresh[0]?.lastLineMs.toFixed(0)} ms`,
  );
  // For scale: the same harness on the project's overview page (a small page of the app: layout,
  // CSS, fonts, scripts) and on a bare HTML page from a plain Node server (the browser alone).
  const bare = http.createServer((_, res) =>
    res.end("<!doctype html><title>bare</title><p>A bare page.</p>"),
  );
  await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
  try {
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    const [overview = [], plain = []] = (await measureFcp([base, bareUrl], 11)).map((xs) => xs.slice(1));
    console.log(
      `  for scale, FCP p50 in the same harness: the project overview page ${pct(overview, 50).toFixed(0)} ms, ` +
        `a bare HTML page ${pct(plain, 50).toFixed(0)} ms`,
    );
  } finally {
    bare.close();
  }
}

await main();
