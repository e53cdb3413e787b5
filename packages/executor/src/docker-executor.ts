/**
 * Runs a job in Docker: one container for before_script + script, a second one for after_script.
 *
 * The second container always runs (after success, failure, timeout and cancel) with its own time
 * budget, and its exit code never changes the job result — GitLab's semantics. Both containers see
 * the same bind-mounted workdir, so files written by the main step are visible to after_script.
 */
import Docker from "dockerode";
import { buildScript, toEnv } from "./script.ts";
import { errorLine, infoLine, sectionEnd, sectionStart } from "./sections.ts";
import { removeLeftoverContainers, runContainer } from "./docker-container.ts";
import type { DockerOptions, ExecutionIO, ExecutionRequest, ExecutionResult, Executor } from "./types.ts";

/** Linux limits a single argv string to 128 KiB; scripts are passed as `sh -c <script>`. */
const MAX_SCRIPT_BYTES = 120 * 1024;

export class DockerExecutor implements Executor {
  readonly name = "docker";
  readonly #docker: Docker;
  readonly #defaults: DockerOptions;
  readonly #runnerName: string;

  /**
   * `new Docker()` honours DOCKER_HOST. `defaults` apply where a request sets no docker option.
   * `runnerName` labels the containers (see {@link removeLeftovers}). @defaultValue "minilab-runner"
   */
  constructor(opts: { docker?: Docker; defaults?: DockerOptions; runnerName?: string } = {}) {
    this.#docker = opts.docker ?? new Docker();
    this.#defaults = opts.defaults ?? {};
    this.#runnerName = opts.runnerName ?? "minilab-runner";
  }

  /** Fails fast when the engine is unreachable, so the runner refuses to start instead of failing jobs. */
  async ping(): Promise<void> {
    await this.#docker.ping();
  }

  removeLeftovers(): Promise<number> {
    return removeLeftoverContainers(this.#docker, this.#runnerName);
  }

  async run(req: ExecutionRequest, io: ExecutionIO): Promise<ExecutionResult> {
    const opts: DockerOptions = { ...this.#defaults, ...req.docker };
    const out = (chunk: Buffer): void => io.onOutput(chunk);

    out(sectionStart("prepare_executor", 'Preparing the "docker" executor'));
    out(infoLine(`Using docker image ${req.image} ...`));
    const pulled = await this.#ensureImage(req.image, opts, out);
    out(sectionEnd("prepare_executor"));
    if (!pulled) return { exitCode: null, failureReason: "image_pull_failure" };

    const main = buildScript([...req.beforeScript, ...req.script]);
    if (Buffer.byteLength(main) > MAX_SCRIPT_BYTES) {
      out(errorLine(`ERROR: Job failed: script is larger than ${MAX_SCRIPT_BYTES} bytes`));
      return { exitCode: null, failureReason: "runner_system_failure" };
    }

    const base = {
      docker: this.#docker,
      jobId: req.jobId,
      runnerName: this.#runnerName,
      image: req.image,
      env: toEnv(req.variables),
      binds: [`${req.hostWorkdir}:${req.projectDir}`],
      workingDir: req.projectDir,
      hostConfig: hostConfig(opts),
      onOutput: out,
    };

    let result: ExecutionResult;
    out(sectionStart("step_script", 'Executing "step_script" stage of the job script'));
    try {
      const outcome = await runContainer({
        ...base,
        cmd: ["sh", "-c", main],
        timeoutMs: req.timeoutSeconds * 1000,
        signal: io.signal,
      });
      result = toResult(outcome, req.timeoutSeconds, out);
    } catch (err) {
      out(errorLine(`ERROR: Job failed (system failure): ${describe(err)}`));
      result = { exitCode: null, failureReason: "runner_system_failure" };
    }
    out(sectionEnd("step_script"));

    if (req.afterScript.length > 0) await this.#afterScript(req, base);
    return result;
  }

  async #afterScript(
    req: ExecutionRequest,
    base: Omit<Parameters<typeof runContainer>[0], "cmd" | "timeoutMs">,
  ): Promise<void> {
    const out = base.onOutput;
    const budget = req.afterScriptTimeoutSeconds ?? 300;
    out(sectionStart("after_script", "Running after_script"));
    out(infoLine("Running after script..."));
    try {
      // No abort signal: after_script must also run after cancel; only its own timeout bounds it.
      const outcome = await runContainer({
        ...base,
        cmd: ["sh", "-c", buildScript(req.afterScript)],
        timeoutMs: budget * 1000,
      });
      if (outcome.kind === "timeout") out(errorLine(`WARNING: after_script timed out after ${budget}s`));
      else if (outcome.kind === "exited" && outcome.exitCode !== 0)
        out(errorLine(`WARNING: after_script failed with exit code ${outcome.exitCode}`));
    } catch (err) {
      out(errorLine(`WARNING: after_script could not run: ${describe(err)}`));
    }
    out(sectionEnd("after_script"));
  }

  /** Pull policy if-not-present: a local image is used as is; a missing one is pulled once. */
  async #ensureImage(image: string, opts: DockerOptions, out: (b: Buffer) => void): Promise<boolean> {
    try {
      await this.#docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if (statusOf(err) !== 404) {
        out(errorLine(`ERROR: Job failed (system failure): cannot inspect image ${image}: ${describe(err)}`));
        return false;
      }
    }
    if (opts.pullPolicy === "never") {
      out(errorLine(`ERROR: Job failed: image ${image} is not present locally and pull_policy is "never"`));
      return false;
    }
    out(infoLine(`Pulling docker image ${image} ...`));
    try {
      const stream = await this.#docker.pull(image);
      await new Promise<void>((resolve, reject) =>
        this.#docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())),
      );
      return true;
    } catch (err) {
      out(errorLine(`ERROR: Job failed: failed to pull image ${image}: ${describe(err)}`));
      return false;
    }
  }
}

function hostConfig(opts: DockerOptions): Docker.HostConfig {
  return {
    NetworkMode: opts.networkMode ?? "bridge",
    Privileged: opts.privileged ?? false,
    PidsLimit: opts.pidsLimit ?? 1024,
    ...(opts.memory ? { Memory: opts.memory } : {}),
    ...(opts.cpus ? { NanoCpus: Math.round(opts.cpus * 1e9) } : {}),
    SecurityOpt: ["no-new-privileges"],
  };
}

function toResult(
  outcome: Awaited<ReturnType<typeof runContainer>>,
  timeoutSeconds: number,
  out: (b: Buffer) => void,
): ExecutionResult {
  switch (outcome.kind) {
    case "exited":
      if (outcome.exitCode === 0) return { exitCode: 0 };
      out(errorLine(`ERROR: Job failed: exit code ${outcome.exitCode}`));
      return { exitCode: outcome.exitCode, failureReason: "script_failure" };
    case "timeout":
      out(errorLine(`ERROR: Job failed: execution took longer than ${timeoutSeconds} seconds`));
      return { exitCode: null, failureReason: "job_execution_timeout" };
    case "aborted":
      out(errorLine("ERROR: Job failed: canceled"));
      return { exitCode: null, failureReason: "canceled" };
  }
}

function statusOf(err: unknown): number | undefined {
  return typeof err === "object" && err !== null && "statusCode" in err ? Number(err.statusCode) : undefined;
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
