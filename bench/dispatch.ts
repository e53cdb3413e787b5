/**
 * Dispatch overhead: one 500-job pipeline of instant jobs (fake executor: no container, no checkout)
 * on a runner process of our own, beside raw BullMQ add → complete of 500 no-op items at the same
 * concurrency in the same run; and `git push` returned → first job `running` (p50/p95) for one-job
 * pipelines on the same runner.
 *
 * Needs the stack `npm run bench` starts (MINILAB_WEB_URL, DATABASE_URL, REDIS_URL). Prints the
 * figures BENCHMARKS.md records.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Queue, QueueEvents, Worker } from "bullmq";
import { createDb } from "@minilab/db";
import { createRedis } from "@minilab/queue";
import { runnerProcess } from "../tests/integration/support/runner-process.ts";
import { cpuByGroup, cpuDelta, machineBusyMs } from "./lib/proc-cpu.ts";
import { benchProject, gitWorkTree, need, pct, statusEvents } from "./lib/push-bench.ts";

const JOBS = 500;
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 8);
const PUSHES = Number(process.env["BENCH_PUSHES"] ?? 20);

async function main(): Promise<void> {
  const webUrl = need("MINILAB_WEB_URL");
  const redisUrl = need("REDIS_URL");
  const db = createDb(need("DATABASE_URL"));
  const suffix = Date.now().toString(36);
  const { project, remote } = await benchProject(db, webUrl, "dispatch", suffix);
  const runner = await runnerProcess(db, `bench-${suffix}`, {
    MINILAB_RUNNER_EXECUTOR: "fake",
    MINILAB_RUNNER_CONCURRENCY: String(CONCURRENCY),
  });
  runner.start();

  const { events, waitFor, unsubscribe } = await statusEvents(redisUrl, project.id, 300_000);
  const { work, git } = await gitWorkTree("minilab-dispatch-");
  const job = (extra: string) =>
    `{ tags: [${runner.tag}], variables: { GIT_STRATEGY: none }, script: ["true"]${extra ? `, ${extra}` : ""} }`;
  const push = async (yaml: string, i: number): Promise<{ t0: number; pushed: number }> => {
    await writeFile(path.join(work, ".gitlab-ci.yml"), yaml);
    await writeFile(path.join(work, "n.txt"), `${i}\n`);
    await git("add", "-A");
    await git("commit", "-q", "-m", `bench ${i}`);
    const t0 = performance.now();
    await git("push", "-q", remote.toString(), "main");
    return { t0, pushed: performance.now() };
  };
  const pipelineDone = (since: number) =>
    waitFor((e) => e.kind === "pipeline" && ["success", "failed", "canceled"].includes(e.status), since);

  // Warm-up: the runner discovers its tag's queue (it polls the tag-set registry every 5 s).
  const one = `single: ${job("")}\n`;
  for (let i = 0; i < 2; i++) {
    const { t0 } = await push(one, i);
    await pipelineDone(t0);
  }

  // push returned → first job running.
  const toRunning: number[] = [];
  for (let i = 0; i < PUSHES; i++) {
    const { t0, pushed } = await push(one, 100 + i);
    toRunning.push((await waitFor((e) => e.kind === "job" && e.status === "running", t0)) - pushed);
    await pipelineDone(t0);
  }

  // The 500-job pipeline: 200 + 200 parallel instances and a 10×10 matrix.
  const wide = [
    `a: ${job("parallel: 200")}`,
    `b: ${job("parallel: 200")}`,
    `m: ${job("parallel: { matrix: [{ X: [1,2,3,4,5,6,7,8,9,10], Y: [a,b,c,d,e,f,g,h,i,j] }] }")}`,
  ].join("\n");
  // CPU of the stack's processes (web, runner, Postgres, Redis: descendants of the stack CLI that
  // runs this bench) and of the whole machine over the 500-job pipeline, push included.
  const cpu0 = cpuByGroup(process.ppid);
  const busy0 = machineBusyMs();
  const { t0, pushed } = await push(`${wide}\n`, 1000);
  const firstRunning = await waitFor((e) => e.kind === "job" && e.status === "running", t0);
  const end = await pipelineDone(t0);
  const cpu = cpuDelta(cpu0, cpuByGroup(process.ppid));
  const busy = machineBusyMs() - busy0;
  const last = events.findLast((x) => x.e.kind === "pipeline");
  const rows = await db.job.findMany({
    where: { pipelineId: last?.e.id ?? -1 },
    select: { status: true, queuedAt: true, startedAt: true, finishedAt: true },
  });
  if (last?.e.status !== "success" || rows.length !== JOBS || rows.some((r) => r.status !== "success"))
    throw new Error(`500-job pipeline ended ${last?.e.status} with ${rows.length} jobs`);
  const wall = end - firstRunning;
  const queueWait = rows.map((r) => (r.startedAt?.getTime() ?? 0) - (r.queuedAt?.getTime() ?? 0));
  const runTime = rows.map((r) => (r.finishedAt?.getTime() ?? 0) - (r.startedAt?.getTime() ?? 0));
  await unsubscribe();
  await runner.stop();

  // Raw BullMQ at the same concurrency: add 500 → a no-op worker completes them.
  // BullMQ never closes a connection it was handed, so each one is quit below (else the process hangs).
  const connections = [createRedis(redisUrl), createRedis(redisUrl), createRedis(redisUrl)] as const;
  const [connection, eventsConnection, workerConnection] = connections;
  const name = `bench-raw-${suffix}`;
  const queue = new Queue(name, { connection });
  const qe = new QueueEvents(name, { connection: eventsConnection });
  await qe.waitUntilReady();
  let completed = 0;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((r) => (allDone = r));
  qe.on("completed", () => {
    if (++completed === JOBS) allDone();
  });
  const worker = new Worker(name, async () => undefined, {
    connection: workerConnection,
    concurrency: CONCURRENCY,
  });
  await worker.waitUntilReady();
  const r0 = performance.now();
  await queue.addBulk(Array.from({ length: JOBS }, (_, i) => ({ name: "x", data: { i } })));
  await finished;
  const raw = performance.now() - r0;
  await worker.close();
  await qe.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all(connections.map((c) => c.quit()));

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`runner: fake executor, concurrency ${CONCURRENCY}; ${JOBS} jobs; ${PUSHES} single-job pushes`);
  console.log(
    `push returned → first job running: p50 ${ms(pct(toRunning, 50))}, p95 ${ms(pct(toRunning, 95))}`,
  );
  console.log(
    // From the start of `git push`: the first job starts before the push has returned (the route
    // commits the pipeline and dispatches its first stage before it closes the response).
    `500-job pipeline: git push ${ms(pushed - t0)} (creates 500 rows), push started → first running ${ms(firstRunning - t0)}`,
  );
  console.log(`500-job pipeline: first running → pipeline success ${ms(wall)} = ${ms(wall / JOBS)} per job`);
  console.log(
    `  per job, from rows: pending → running p50 ${ms(pct(queueWait, 50))}, running → finished p50 ${ms(pct(runTime, 50))}`,
  );
  console.log(
    `  CPU per job over the 500-job pipeline (push included): ${cpu.map(([g, v]) => `${g} ${ms(v / JOBS)}`).join(", ")}; whole machine ${ms(busy / JOBS)} busy`,
  );
  console.log(`raw BullMQ add → complete of ${JOBS} no-op items: ${ms(raw)} = ${ms(raw / JOBS)} per item`);
  console.log(`minilab per-job dispatch overhead beyond raw BullMQ: ${ms((wall - raw) / JOBS)}`);
  await db.$disconnect();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
