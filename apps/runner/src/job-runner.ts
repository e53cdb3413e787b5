/**
 * Runs one dispatched CI job end to end: claim → checkout → execute → upload log → finish.
 *
 * Every claimed job is finished exactly once from here, whatever happens: a runner-side exception
 * becomes `failed` / `runner_system_failure` with an explanatory log line. The finish is sent only
 * after the LogUploader has every byte acknowledged (the contract requires it).
 *
 * Cancellation has two sources, both feeding one AbortController: the server (a message on the Redis
 * cancel channel via `deps.cancels`, or `Job-Status: canceling` on a trace response as fallback) and
 * runner shutdown (the `shutdown` signal). The executor still runs after_script after either; a
 * server cancel is then reported as `canceled`, a shutdown as failed (runner_system_failure).
 *
 * The web app being down (restart, upgrade, outage) does not stop the job: its output is buffered and
 * log and artifact transfers and the finish are retried for up to `SERVER_RETRY_MS` (retry.ts), so the
 * job ends with its whole log and artifacts once the web app is back. Only a runner shutdown shortens
 * that to {@link SHUTDOWN_RETRY_MS}.
 */
import { FINISH_TRACE_MAX_BYTES, type JobFinish, type JobSpec } from "@minilab/contracts";
import {
  checkout,
  errorLine,
  infoLine,
  sectionEnd,
  sectionStart,
  type DockerOptions,
  type ExecutionResult,
  type Executor,
  type OutputSink,
} from "@minilab/executor";
import { FinalHttpError, type ApiClient } from "./api-client.ts";
import type { CancelWatcher } from "./cancel-watcher.ts";
import { LogUploader } from "./log-uploader.ts";
import { finishJobFiles, prepareJobFiles, type JobFilesDeps } from "./job-files.ts";
import { prepareWorkdir, type Workdir } from "./git-strategy.ts";
import { Masker } from "./masker.ts";
import { OutputLimit } from "./output-limit.ts";
import { GcPacer } from "./gc-pacer.ts";

/** One per process: the garbage of concurrent jobs' logs adds up in the same heap. */
const gcPacer = new GcPacer();

/** Once the runner is shutting down, how long a job still retries reaching an unreachable server. */
export const SHUTDOWN_RETRY_MS = 10_000;

export interface JobRunnerDeps {
  api: Pick<ApiClient, "claim" | "finish" | "patchTrace">;
  executor: Executor;
  buildsDir: string;
  defaultImage: string;
  runnerName: string;
  /** Job log limit in bytes. @defaultValue 4 MiB */
  outputLimitBytes?: number;
  /** Per-job docker options from the runner config (limits, volumes, socket…). */
  docker?: DockerOptions;
  log(message: string): void;
  /** Replaceable in tests; defaults to the real git checkout. */
  checkout?: typeof checkout;
  /** Artifacts and cache around the script (./job-files.ts); without it, neither happens. */
  files?: JobFilesDeps;
  /** Cancel messages from the server (Redis); without it only trace responses report cancels. */
  cancels?: Pick<CancelWatcher, "watch">;
}

/** Returns the finish that was reported, or null when the claim was refused (409). */
export async function runJob(
  jobId: number,
  deps: JobRunnerDeps,
  shutdown: AbortSignal,
): Promise<JobFinish | null> {
  // Watch before claiming: a cancel published right after the claim commits must not be missed.
  const watch = deps.cancels?.watch(jobId);
  let spec: JobSpec | null;
  try {
    spec = await deps.api.claim(jobId);
  } catch (err) {
    watch?.dispose();
    throw err;
  }
  if (!spec) {
    watch?.dispose();
    deps.log(`job ${jobId}: already claimed or canceled, dropped`);
    return null;
  }
  deps.log(`job ${jobId} (${spec.name}): claimed`);

  const abort = new AbortController();
  let abortedBy: "server" | "shutdown" | undefined;
  const stop = (by: "server" | "shutdown"): void => {
    abortedBy ??= by;
    abort.abort(by);
  };
  const onShutdown = (): void => stop("shutdown");
  if (shutdown.aborted) onShutdown();
  else shutdown.addEventListener("abort", onShutdown, { once: true });
  watch?.onCancel(() => stop("server"));

  const uploader = new LogUploader({
    api: deps.api,
    jobId,
    jobToken: spec.token,
    onCanceled: () => stop("server"),
  });
  // A runner being stopped does not wait out the whole retry budget for a server that is down.
  let finishDeadline = Infinity;
  const hurry = (): void => {
    uploader.hurry(SHUTDOWN_RETRY_MS);
    finishDeadline = Math.min(finishDeadline, Date.now() + SHUTDOWN_RETRY_MS);
  };
  if (shutdown.aborted) hurry();
  else shutdown.addEventListener("abort", hurry, { once: true });
  const secrets = [spec.token, ...spec.variables.filter((v) => v.masked).map((v) => v.value)];
  const limit = new OutputLimit(deps.outputLimitBytes ?? 4 * 1024 * 1024, (b) => uploader.write(b));
  const masker = new Masker(secrets, (b) => limit.write(b));
  const out = (b: Buffer): void => masker.write(b);
  // The job's own output waits while the uploader holds too many unacknowledged bytes (backpressure):
  // the runner's memory stays bounded however fast the job prints, and no byte is dropped.
  const jobOutput = (b: Buffer): Promise<void> | undefined => {
    masker.write(b);
    gcPacer.add(b.length);
    return uploader.room();
  };
  let workdir: Workdir | undefined;

  let finish: JobFinish;
  try {
    out(infoLine(`Running with minilab-runner on ${deps.runnerName} (executor: ${deps.executor.name})`));
    workdir = await prepareWorkdir(spec, deps.buildsDir);
    const result = await execute(spec, workdir, deps, out, jobOutput, abort.signal, () => finishDeadline);
    finish = toFinish(result, abortedBy, out);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (abortedBy === "server") {
      out(errorLine("ERROR: Job canceled"));
      finish = { state: "canceled", exitCode: null };
    } else if (abortedBy) {
      out(errorLine("ERROR: Job failed: runner is shutting down"));
      finish = { state: "failed", exitCode: null, failureReason: "runner_system_failure" };
    } else {
      out(errorLine(`ERROR: Job failed (system failure): ${message}`));
      finish = { state: "failed", exitCode: null, failureReason: "runner_system_failure" };
    }
  } finally {
    shutdown.removeEventListener("abort", onShutdown);
    watch?.dispose();
    await workdir?.release();
  }

  masker.end();
  // The log's last bytes ride on the finish when the server takes them (one request less per job).
  let trace: JobFinish["trace"];
  try {
    if (spec.finishTrace) {
      const tail = await uploader.closeForFinish(FINISH_TRACE_MAX_BYTES);
      if (tail.data.length > 0) trace = { offset: tail.offset, content: tail.data.toString("base64") };
    } else await uploader.close();
  } catch (err) {
    // The finish still goes out: a job stuck in `running` is worse than a job with a truncated log.
    deps.log(`job ${jobId}: log upload incomplete: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await deps.api.finish(jobId, spec.token, trace ? { ...finish, trace } : finish, {}, () => finishDeadline);
  } catch (err) {
    // 4xx after a server-side cancel is expected: the job is already final and its token revoked.
    if (!(err instanceof FinalHttpError && abortedBy === "server"))
      deps.log(`job ${jobId}: could not report finish: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    shutdown.removeEventListener("abort", hurry);
  }
  deps.log(
    `job ${jobId} (${spec.name}): ${finish.state}${finish.failureReason ? ` (${finish.failureReason})` : ""}`,
  );
  return finish;
}

async function execute(
  spec: JobSpec,
  workdir: Workdir,
  deps: JobRunnerDeps,
  out: (b: Buffer) => void,
  jobOutput: OutputSink,
  signal: AbortSignal,
  /** How long artifact requests retry an unreachable server (shortened on shutdown, like the finish). */
  serverDeadline: () => number,
): Promise<ExecutionResult> {
  out(sectionStart("get_sources", "Getting source from Git repository"));
  if (workdir.strategy === "none") out(infoLine("Skipping Git repository setup (GIT_STRATEGY=none)"));
  else
    await (deps.checkout ?? checkout)({
      repoUrl: spec.git.repoUrl,
      sha: spec.git.sha,
      ref: spec.git.ref,
      dir: workdir.dir,
      depth: workdir.depth,
      cleanFlags: workdir.cleanFlags,
      onOutput: out,
      signal,
    });
  out(sectionEnd("get_sources"));
  const failedEarly = deps.files
    ? await prepareJobFiles(spec, workdir.dir, deps.files, out, serverDeadline)
    : null;
  if (failedEarly) return failedEarly;
  const result = await deps.executor.run(
    {
      jobId: spec.id,
      image: spec.image || deps.defaultImage,
      beforeScript: spec.beforeScript,
      script: spec.script,
      afterScript: spec.afterScript,
      variables: spec.variables,
      hostWorkdir: workdir.dir,
      projectDir: spec.git.projectDir,
      timeoutSeconds: spec.timeoutSeconds,
      imageEntrypoint: spec.imageEntrypoint ?? null,
      services: spec.services ?? [],
      ...(deps.docker ? { docker: deps.docker } : {}),
    },
    { onOutput: jobOutput, signal },
  );
  return deps.files ? finishJobFiles(spec, workdir.dir, deps.files, out, result, serverDeadline) : result;
}

function toFinish(
  result: ExecutionResult,
  abortedBy: "server" | "shutdown" | undefined,
  out: (b: Buffer) => void,
): JobFinish {
  if (!result.failureReason) {
    out(Buffer.from("\x1b[32;1mJob succeeded\x1b[0;m\n"));
    return { state: "success", exitCode: result.exitCode ?? 0 };
  }
  if (result.failureReason === "canceled" && abortedBy === "shutdown") {
    out(errorLine("ERROR: Job aborted: the runner is shutting down"));
    return { state: "failed", exitCode: null, failureReason: "runner_system_failure" };
  }
  // The script was stopped because a user canceled the job; after_script has run.
  if (result.failureReason === "canceled") return { state: "canceled", exitCode: null };
  return { state: "failed", exitCode: result.exitCode, failureReason: result.failureReason };
}
