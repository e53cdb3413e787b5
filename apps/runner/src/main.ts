/**
 * minilab runner process: consumes the jobs queue and runs each job through an executor.
 *
 * Shutdown: the first SIGTERM/SIGINT stops taking new jobs and lets running ones finish for up to
 * SHUTDOWN_GRACE_MS; a second signal (or the end of the grace period) aborts them — they still run
 * after_script, upload their log and finish as failed — then the process exits.
 */
import { mkdir } from "node:fs/promises";
import { JobDispatch } from "@minilab/contracts";
import { DockerExecutor, FakeExecutor, type Executor } from "@minilab/executor";
import { createJobsWorker, createRedis } from "@minilab/queue";
import { ApiClient, RunnerAuthError } from "./api-client.ts";
import { ConfigError, loadConfig, type RunnerConfig } from "./config.ts";
import { runJob } from "./job-runner.ts";

const SHUTDOWN_GRACE_MS = 60_000;
const log = (message: string): void => console.log(`[runner] ${new Date().toISOString()} ${message}`);

async function createExecutor(config: RunnerConfig): Promise<Executor> {
  if (config.executor === "fake") return new FakeExecutor();
  const executor = new DockerExecutor({
    runnerName: config.name,
    defaults: { networkMode: config.networkMode },
  });
  await executor.ping().catch((err: unknown) => {
    throw new Error(
      `cannot reach the Docker engine (DOCKER_HOST=${process.env["DOCKER_HOST"] ?? "default socket"}): ${String(err)}`,
    );
  });
  const removed = await executor.removeLeftovers();
  if (removed > 0) log(`removed ${removed} leftover job container(s)`);
  return executor;
}

async function main(): Promise<void> {
  let config: RunnerConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[runner] configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }

  const executor = await createExecutor(config);
  await mkdir(config.buildsDir, { recursive: true });
  const api = new ApiClient(config.serverUrl, config.runnerToken, {
    name: config.name,
    executor: executor.name,
  });
  const shutdown = new AbortController();
  const deps = {
    api,
    executor,
    buildsDir: config.buildsDir,
    defaultImage: config.defaultImage,
    runnerName: config.name,
    log,
  };

  const redis = createRedis(config.redisUrl);
  let stopping: Promise<void> | undefined;
  const worker = createJobsWorker(
    redis,
    async (job) => {
      const { jobId } = JobDispatch.parse(job.data);
      try {
        await runJob(jobId, deps, shutdown.signal);
      } catch (err) {
        if (err instanceof RunnerAuthError) {
          log(`fatal: ${err.message}`);
          process.exitCode = 1;
          void stop("invalid runner token");
        }
        throw err;
      }
    },
    { concurrency: config.concurrency, ...(config.queuePrefix ? { prefix: config.queuePrefix } : {}) },
  );
  worker.on("error", (err) => log(`queue error: ${err.message}`));
  worker.on("failed", (job, err) => log(`dispatch ${job?.id ?? "?"} failed: ${err.message}`));

  const stop = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      log(
        `${why}: not taking new jobs; waiting up to ${SHUTDOWN_GRACE_MS / 1000}s for running ones (signal again to abort them)`,
      );
      const grace = setTimeout(() => shutdown.abort(), SHUTDOWN_GRACE_MS);
      await worker.close(); // resolves once every active processor has returned
      clearTimeout(grace);
      await redis.quit().catch(() => undefined);
      log("stopped");
    })());

  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.on(sig, () => {
      if (stopping) {
        log(`${sig} again: aborting running jobs`);
        shutdown.abort();
      } else void stop(sig);
    });
  }

  log(
    `started "${config.name}": executor=${executor.name} concurrency=${config.concurrency} server=${config.serverUrl}`,
  );
}

main().catch((err: unknown) => {
  console.error(`[runner] fatal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
