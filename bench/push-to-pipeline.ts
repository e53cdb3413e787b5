/**
 * Push latency benchmark: `git push` returned → first job `running`, and push → one-job pipeline
 * `success`, against a bare `docker run` of the same image and script in the same run.
 *
 * Needs the stack `npm run bench` starts (MINILAB_WEB_URL, DATABASE_URL, REDIS_URL, DOCKER_HOST,
 * MINILAB_DATA_DIR). Prints p50/p95 and the ratios; BENCHMARKS.md records the results.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { StatusEvent } from "@minilab/contracts";
import { createPersonalAccessToken, createProject, createUser } from "@minilab/core";
import { createDb } from "@minilab/db";
import { liveChannels, subscribe } from "@minilab/queue";

const run = promisify(execFile);
const N = Number(process.env["BENCH_PUSHES"] ?? 20);
const WARMUP = 2;
const IMAGE = "minilab/busybox:latest";
const SCRIPT = "echo hello from the bench";

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through \`npm run bench\``);
  return v;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms`;

async function main(): Promise<void> {
  const webUrl = need("MINILAB_WEB_URL");
  const db = createDb(need("DATABASE_URL"));
  const suffix = Date.now().toString(36);
  const user = await createUser({
    db,
    username: `bench-${suffix}`,
    email: `bench-${suffix}@example.com`,
    password: "bench-password",
  });
  const { token } = await createPersonalAccessToken({
    db,
    userId: user.id,
    name: "bench",
    scopes: ["write_repository"],
  });
  const project = await createProject({ db, owner: user, name: "bench" });
  const remote = new URL(`/${project.namespace}/${project.path}.git`, webUrl);
  remote.username = user.username;
  remote.password = token;

  // Status events, timestamped on arrival in this process (same clock as the push timings).
  const events: { at: number; e: StatusEvent }[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = await subscribe(need("REDIS_URL"), liveChannels().projectStatus(project.id), (msg) => {
    events.push({ at: performance.now(), e: StatusEvent.parse(JSON.parse(msg)) });
    wake?.();
  });
  const waitFor = async (pred: (e: StatusEvent) => boolean, since: number): Promise<number> => {
    const deadline = performance.now() + 120_000;
    for (;;) {
      const hit = events.find((x) => x.at >= since && pred(x.e));
      if (hit) return hit.at;
      if (performance.now() > deadline) throw new Error("timed out waiting for a status event");
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  };

  const work = await mkdtemp(path.join(tmpdir(), "minilab-bench-"));
  const gitEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: "b",
    GIT_AUTHOR_EMAIL: "b@x",
    GIT_COMMITTER_NAME: "b",
    GIT_COMMITTER_EMAIL: "b@x",
  };
  const git = (...args: string[]) => run("git", args, { cwd: work, env: gitEnv });
  await git("init", "-q", "-b", "main");
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
