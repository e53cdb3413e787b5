/**
 * minilab runner process: consumes the jobs queue and runs each job through an executor.
 *
 * Shutdown: the first SIGTERM/SIGINT stops taking new jobs and lets running ones finish for up to
 * SHUTDOWN_GRACE_MS; a second signal (or the end of the grace period) aborts them — they still run
 * after_script, upload their log and finish as failed — then the process exits.
 */
import { mkdir } from "node:fs/promises";
import { JobDispatch } from "@minilab/contracts";
import { createRedis, createTaggedWorkers } from "@minilab/queue";
import { ApiClient, RunnerAuthError } from "./api-client.ts";
import { ArtifactClient } from "./artifact-client.ts";
import { CacheStore } from "./cache-store.ts";
import { ConfigError, loadConfig, type RunnerConfig } from "./config.ts";
import { createExecutor } from "./executors.ts";
import { startCancelWatcher } from "./cancel-watcher.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { runJob } from "./job-runner.ts";
import { RUNNER_VERSION } from "./version.ts";

const SHUTDOWN_GRACE_MS = 60_000;
const log = (message: string): void => console.log(`[runner] ${new Date().toISOString()} ${message}`);

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

  const executor = await createExecutor(config, log);
  await mkdir(config.buildsDir, { recursive: true });
  const api = new ApiClient(config.serverUrl, config.runnerToken, {
    name: config.name,
    version: RUNNER_VERSION,
    executor: executor.name,
    tags: config.tags,
    runUntagged: config.runUntagged,
  });
  // First heartbeat before taking jobs: a wrong token stops the runner at once, and the server's
  // record of our tags is compared with the config so a mismatch is visible in the log.
  const record = await api.verify().catch((err: unknown) => {
    if (err instanceof RunnerAuthError) throw err;
    log(`first heartbeat failed (continuing): ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  });
  const serverTags = [...(record?.tags ?? [])].sort().join(",");
  if (record && (serverTags !== config.tags.join(",") || record.runUntagged !== config.runUntagged))
    log(
      `WARNING: the server registered this runner with tags [${serverTags}] run_untagged=${record.runUntagged}, ` +
        `but the config says [${config.tags.join(",")}] run_untagged=${config.runUntagged}; the server's record decides which jobs it may claim`,
    );
  const shutdown = new AbortController();
  // Subscribed before taking jobs, so no cancel for a job of ours can be published unseen.
  const cancels = await startCancelWatcher(config.redisUrl, config.queuePrefix, log);
  const deps = {
    cancels,
    api,
    executor,
    buildsDir: config.buildsDir,
    defaultImage: config.defaultImage,
    runnerName: config.name,
    outputLimitBytes: config.outputLimitBytes,
    log,
    files: {
      artifacts: new ArtifactClient(config.serverUrl),
      cache: new CacheStore(config.cacheDir, config.cacheMaxBytes),
    },
  };

  const redis = createRedis(config.redisUrl);
  let stopping: Promise<void> | undefined;
  const worker = await createTaggedWorkers(
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
    {
      tags: config.tags,
      runUntagged: config.runUntagged,
      concurrency: config.concurrency,
      onError: (err) => log(`queue error: ${err.message}`),
      ...(config.queuePrefix ? { prefix: config.queuePrefix } : {}),
    },
  );
  const stopHeartbeat = startHeartbeat(api, log, (err) => {
    log(`fatal: ${err.message}`);
    process.exitCode = 1;
    void stop("invalid runner token");
  });

  const stop = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      log(
        `${why}: not taking new jobs; waiting up to ${SHUTDOWN_GRACE_MS / 1000}s for running ones (signal again to abort them)`,
      );
      stopHeartbeat();
      const grace = setTimeout(() => shutdown.abort(), SHUTDOWN_GRACE_MS);
      await worker.close(); // resolves once every active processor has returned
      clearTimeout(grace);
      await redis.quit().catch(() => undefined);
      await cancels.close().catch(() => undefined);
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
    `started "${config.name}" ${RUNNER_VERSION}: executor=${executor.name} concurrency=${config.concurrency} ` +
      `tags=[${config.tags.join(",")}] run_untagged=${config.runUntagged} queues=${worker.queues().length} server=${config.serverUrl}` +
      (config.configPath ? ` config=${config.configPath}` : ""),
  );
}

main().catch((err: unknown) => {
  console.error(`[runner] fatal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
