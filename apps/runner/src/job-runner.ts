/**
 * Runs one dispatched CI job end to end: claim → checkout → execute → upload log → finish.
 *
 * Every claimed job is finished exactly once from here, whatever happens: a runner-side exception
 * becomes `failed` / `runner_system_failure` with an explanatory log line. The finish is sent only
 * after the LogUploader has every byte acknowledged (the contract requires it).
 *
 * Cancellation has two sources, both feeding one AbortController: the server (`Job-Status: canceled`
 * on a trace response) and runner shutdown (the `shutdown` signal). The executor still runs
 * after_script after either.
 */
import type { JobFinish, JobSpec } from "@minilab/contracts";
import {
  checkout,
  errorLine,
  infoLine,
  sectionEnd,
  sectionStart,
  type DockerOptions,
  type ExecutionResult,
  type Executor,
} from "@minilab/executor";
import { FinalHttpError, type ApiClient } from "./api-client.ts";
import { LogUploader } from "./log-uploader.ts";
import { prepareWorkdir, type Workdir } from "./git-strategy.ts";
import { Masker } from "./masker.ts";
import { OutputLimit } from "./output-limit.ts";

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
}

/** Returns the finish that was reported, or null when the claim was refused (409). */
export async function runJob(
  jobId: number,
  deps: JobRunnerDeps,
  shutdown: AbortSignal,
): Promise<JobFinish | null> {
  const spec = await deps.api.claim(jobId);
  if (!spec) {
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

  const uploader = new LogUploader({
    api: deps.api,
    jobId,
    jobToken: spec.token,
    onCanceled: () => stop("server"),
  });
  const secrets = [spec.token, ...spec.variables.filter((v) => v.masked).map((v) => v.value)];
  const limit = new OutputLimit(deps.outputLimitBytes ?? 4 * 1024 * 1024, (b) => uploader.write(b));
  const masker = new Masker(secrets, (b) => limit.write(b));
  const out = (b: Buffer): void => masker.write(b);
  let workdir: Workdir | undefined;

  let finish: JobFinish;
  try {
    out(infoLine(`Running with minilab-runner on ${deps.runnerName} (executor: ${deps.executor.name})`));
    workdir = await prepareWorkdir(spec, deps.buildsDir);
    const result = await execute(spec, workdir, deps, out, abort.signal);
    finish = toFinish(result, abortedBy, out);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (abortedBy) {
      out(errorLine(`ERROR: Job failed: ${abortedBy === "server" ? "canceled" : "runner is shutting down"}`));
      finish = {
        state: "failed",
        exitCode: null,
        failureReason: abortedBy === "server" ? "canceled" : "runner_system_failure",
      };
    } else {
      out(errorLine(`ERROR: Job failed (system failure): ${message}`));
      finish = { state: "failed", exitCode: null, failureReason: "runner_system_failure" };
    }
  } finally {
    shutdown.removeEventListener("abort", onShutdown);
    await workdir?.release();
  }

  masker.end();
  try {
    await uploader.close();
  } catch (err) {
    // The finish still goes out: a job stuck in `running` is worse than a job with a truncated log.
    deps.log(`job ${jobId}: log upload incomplete: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await deps.api.finish(jobId, spec.token, finish);
  } catch (err) {
    // 4xx after a server-side cancel is expected: the job is already final and its token revoked.
    if (!(err instanceof FinalHttpError && abortedBy === "server"))
      deps.log(`job ${jobId}: could not report finish: ${err instanceof Error ? err.message : String(err)}`);
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
  signal: AbortSignal,
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
  return deps.executor.run(
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
    { onOutput: out, signal },
  );
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
  return { state: "failed", exitCode: result.exitCode, failureReason: result.failureReason };
}
