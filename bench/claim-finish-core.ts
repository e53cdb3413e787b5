/**
 * The server side of dispatch without HTTP, Next or a runner process: a 500-job pipeline driven
 * through the use-cases a runner's requests call (claimJob → appendJobLog → finishJob), by 8
 * concurrent "runners", timing each call. Separates what core and Postgres cost per job from what
 * the transport adds (compare with bench/dispatch.ts in the same run).
 *
 * The log goes out as a trace upload before the finish, or (BENCH_FINISH_TRACE=1) with the finish, as
 * a runner does when the claim offers `finishTrace`. BENCH_CORE=<path to a core package's src/index.ts>
 * runs another copy of core (e.g. an older one) against the same setup, for an A/B under equal load.
 *
 * Needs DATABASE_URL (a server: a throwaway database is created on it) and REDIS_URL.
 *   DATABASE_URL=… REDIS_URL=… npx tsx bench/claim-finish-core.ts
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type * as Core from "@minilab/core";
import type { Db } from "@minilab/db";
import { ciFixture } from "../packages/core/test/helpers/ci-fixture.ts";
import { pct } from "./lib/push-bench.ts";

const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 8);
const FINISH_TRACE = process.env["BENCH_FINISH_TRACE"] === "1";
const core = (await import(process.env["BENCH_CORE"] ?? "@minilab/core")) as typeof Core;
const { appendJobLog, claimJob, createPipeline, finishJob } = core;
const ZERO = "0".repeat(40);
const LOG = Buffer.from(`${"Running with minilab-runner (executor: fake)\n".repeat(6)}Job succeeded\n`);

/** Pipelines of 500 instant jobs: all in one stage (the dispatch bench's), and two stages of 250. */
const SHAPES: Record<string, string> = {
  "one stage, 500 jobs": [
    "a: { script: [x], parallel: 200 }",
    "b: { script: [x], parallel: 200 }",
    "m: { script: [x], parallel: { matrix: [{ X: [1,2,3,4,5,6,7,8,9,10], Y: [a,b,c,d,e,f,g,h,i,j] }] } }",
  ].join("\n"),
  "two stages × 250 jobs": [
    "stages: [one, two]",
    "a: { stage: one, script: [x], parallel: 125 }",
    "b: { stage: one, script: [x], parallel: 125 }",
    "c: { stage: two, script: [x], parallel: 125 }",
    "d: { stage: two, script: [x], parallel: 125 }",
  ].join("\n"),
};

/** Statements (Prisma operations, raw ones included) per use-case call, and their summed time. */
const phase = new AsyncLocalStorage<string>();
const statements = new Map<string, { calls: number; n: number; ms: number }>();
function counted(db: Db): Db {
  return db.$extends({
    query: {
      async $allOperations({ args, query }) {
        const name = phase.getStore();
        const t = performance.now();
        try {
          return (await query(args)) as unknown;
        } finally {
          const s = name ? statements.get(name) : undefined;
          if (s) {
            s.n++;
            s.ms += performance.now() - t;
          }
        }
      },
    },
  }) as unknown as Db;
}
function inPhase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const s = statements.get(name) ?? { calls: 0, n: 0, ms: 0 };
  s.calls++;
  statements.set(name, s);
  return phase.run(name, fn);
}

async function main(): Promise<void> {
  const f = await ciFixture();
  const db = counted(f.t.db);
  let n = 0;
  for (const [shape, yaml] of Object.entries(SHAPES)) {
    const ref = `b${++n}`;
    const sha = f.commit({ ".gitlab-ci.yml": `${yaml}\n` }, "bench", ref);
    const c0 = performance.now();
    const p = await createPipeline({
      db,
      project: f.project,
      ref,
      tag: false,
      sha,
      beforeSha: ZERO,
      source: "push",
      userId: f.user.id,
    });
    if (!p) throw new Error("no pipeline");
    const created = performance.now() - c0;
    const claim: number[] = [];
    const trace: number[] = [];
    const finish: number[] = [];
    const t0 = performance.now();
    // Each "runner" takes the oldest pending job, as the queue would hand them out.
    const taken = new Set<number>();
    const worker = async (): Promise<void> => {
      for (;;) {
        const next = await db.job.findFirst({
          where: { pipelineId: p.id, status: "pending", id: { notIn: [...taken] } },
          orderBy: { id: "asc" },
          select: { id: true },
        });
        if (!next) {
          const open = await db.job.count({
            where: { pipelineId: p.id, status: { in: ["created", "pending", "running"] } },
          });
          if (open === 0) return;
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        if (taken.has(next.id)) continue;
        taken.add(next.id);
        const a = performance.now();
        const spec = await inPhase("claimJob", () =>
          claimJob({ db, runnerToken: f.runnerToken, jobId: next.id }),
        );
        const b = performance.now();
        if (!FINISH_TRACE)
          await inPhase("appendJobLog", () =>
            appendJobLog({ db, jobId: next.id, jobToken: spec.token, start: 0, data: LOG }),
          );
        const c = performance.now();
        const finalLog = FINISH_TRACE ? { finalLog: { offset: 0, data: LOG } } : {};
        await inPhase("finishJob", () =>
          finishJob({ db, jobId: next.id, jobToken: spec.token, state: "success", exitCode: 0, ...finalLog }),
        );
        const d = performance.now();
        claim.push(b - a);
        trace.push(c - b);
        finish.push(d - c);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const wall = performance.now() - t0;
    const row = await db.pipeline.findUniqueOrThrow({ where: { id: p.id }, select: { status: true } });
    const jobs = await db.job.count({ where: { pipelineId: p.id, status: "success", logSize: LOG.length } });
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    const dist = (xs: number[]) => `p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}`;
    console.log(`${shape}: pipeline ${row.status}, ${jobs} jobs success; createPipeline ${ms(created)}`);
    console.log(`  ${CONCURRENCY} concurrent: ${ms(wall)} = ${ms(wall / jobs)} per job`);
    console.log(`  claimJob ${dist(claim)}; appendJobLog ${dist(trace)}; finishJob ${dist(finish)}`);
    for (const [name, st] of statements)
      console.log(
        `  ${name}: ${(st.n / st.calls).toFixed(1)} Prisma operations per call, ${ms(st.ms / st.calls)} in them`,
      );
    statements.clear();
  }
  await f.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
