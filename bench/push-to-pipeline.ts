/**
 * Push latency benchmark: `git push` returned → first job `running`, and push → one-job pipeline
 * `success`, against a bare `docker run` of the same image and script in the same run.
 *
 * Needs the stack `npm run bench` starts (MINILAB_WEB_URL, DATABASE_URL, REDIS_URL, DOCKER_HOST,
 * MINILAB_DATA_DIR). Prints p50/p95 and the ratios; BENCHMARKS.md records the results.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createDb } from "@minilab/db";
import { benchProject, gitWorkTree, need, pct, run, statusEvents } from "./lib/push-bench.ts";

const N = Number(process.env["BENCH_PUSHES"] ?? 20);
const WARMUP = 2;
const IMAGE = "minilab/busybox:latest";
const SCRIPT = "echo hello from the bench";

const fmt = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms`;

async function main(): Promise<void> {
  const webUrl = need("MINILAB_WEB_URL");
  const db = createDb(need("DATABASE_URL"));
  const suffix = Date.now().toString(36);
  const { project, remote } = await benchProject(db, webUrl, "bench", suffix);

  // Status events, timestamped on arrival in this process (same clock as the push timings).
  const { events, waitFor, unsubscribe } = await statusEvents(need("REDIS_URL"), project.id);

  const { work, git } = await gitWorkTree("minilab-bench-");
  await writeFile(path.join(work, ".gitlab-ci.yml"), `job:\n  image: ${IMAGE}\n  script:\n    - ${SCRIPT}\n`);

  const toRunning: number[] = [];
  const toSuccess: number[] = [];
  const pushTimes: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    await writeFile(path.join(work, "n.txt"), `${i}\n`);
    await git("add", "-A");
    await git("commit", "-q", "-m", `bench ${i}`);
    const t0 = performance.now();
    await git("push", "-q", remote.toString(), "main");
    const pushed = performance.now();
    const running = await waitFor((e) => e.kind === "job" && e.status === "running", t0);
    const success = await waitFor(
      (e) => e.kind === "pipeline" && ["success", "failed"].includes(e.status),
      t0,
    );
    const last = events.findLast((x) => x.e.kind === "pipeline");
    if (last?.e.status !== "success") throw new Error(`pipeline ${last?.e.id} ended ${last?.e.status}`);
    if (i < WARMUP) continue;
    pushTimes.push(pushed - t0);
    toRunning.push(running - pushed);
    toSuccess.push(success - pushed);
  }
  await unsubscribe();

  const dockerRun: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t0 = performance.now();
    await run("docker", ["run", "--rm", "--network", "none", IMAGE, "sh", "-c", SCRIPT]);
    if (i >= WARMUP) dockerRun.push(performance.now() - t0);
  }

  // Where the time goes, from the rows' own timestamps (same machine clock).
  const jobs = await db.job.findMany({
    where: { projectId: project.id },
    orderBy: { id: "asc" },
    include: { pipeline: true },
    skip: WARMUP,
  });
  const span = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : NaN);
  const created = jobs.map((j) => span(j.pipeline.createdAt, j.queuedAt));
  const queued = jobs.map((j) => span(j.queuedAt, j.startedAt));
  const ran = jobs.map((j) => span(j.startedAt, j.finishedAt));
  await db.$disconnect();

  const row = (name: string, xs: number[]) =>
    console.log(`${name.padEnd(44)} p50 ${fmt(pct(xs, 50))}   p95 ${fmt(pct(xs, 95))}`);
  console.log(
    `\npush → pipeline benchmark (${N} pushes after ${WARMUP} warm-up, one job: \`${SCRIPT}\` in ${IMAGE})`,
  );
  row("git push (client wall time)", pushTimes);
  row("push returned → first job running", toRunning);
  row("push returned → pipeline success", toSuccess);
  row("baseline: docker run --rm (same image+script)", dockerRun);
  console.log(
    `ratio push→success / docker run (p50): ${(pct(toSuccess, 50) / pct(dockerRun, 50)).toFixed(2)}×`,
  );
  console.log("where the time goes (row timestamps):");
  row("  pipeline created → job pending (queued)", created);
  row("  queued → claimed by runner (running)", queued);
  row("  running → finished (checkout + container)", ran);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
