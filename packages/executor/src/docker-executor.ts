/**
 * Runs a job in Docker: one container for before_script + script, a second one for after_script,
 * plus `services:` on a per-job internal network when the job has any.
 *
 * The second container always runs (after success, failure, timeout and cancel) with its own time
 * budget, and its exit code never changes the job result — GitLab's semantics. Both containers see
 * the same bind-mounted workdir, so files written by the main step are visible to after_script.
 * Services and the network are removed in `finally`, whatever happened.
 */
import Docker from "dockerode";
import { buildScript, fileVariableKeys, toEnv } from "./script.ts";
import { errorLine, infoLine, sectionEnd, sectionStart } from "./sections.ts";
import { removeLeftoverContainers, runContainer, type ContainerOutcome } from "./docker-container.ts";
import { describe, ensureImage } from "./docker-image.ts";
import { JobNetwork, startServices } from "./docker-services.ts";
import type { DockerOptions, ExecutionIO, ExecutionRequest, ExecutionResult, Executor } from "./types.ts";

/** Linux limits a single argv string to 128 KiB; scripts are passed as `sh -c <script>`. */
const MAX_SCRIPT_BYTES = 120 * 1024;
const CONTAINER_SOCKET = "/var/run/docker.sock";

export { describe };

export class DockerExecutor implements Executor {
  readonly name = "docker";
  readonly #docker: Docker;
  readonly #defaults: DockerOptions;
  readonly #runnerName: string;
  readonly #helperImage: string;

  /**
   * `new Docker()` honours DOCKER_HOST. `defaults` apply where a request sets no docker option.
   * `runnerName` labels the containers (see {@link removeLeftovers}). @defaultValue "minilab-runner"
   * `helperImage` probes service ports (needs sh + busybox nc). @defaultValue "minilab/busybox:latest"
   */
  constructor(
    opts: { docker?: Docker; defaults?: DockerOptions; runnerName?: string; helperImage?: string } = {},
  ) {
    this.#docker = opts.docker ?? new Docker();
    this.#defaults = opts.defaults ?? {};
    this.#runnerName = opts.runnerName ?? "minilab-runner";
    this.#helperImage = opts.helperImage ?? "minilab/busybox:latest";
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
    const out = (chunk: Buffer): void => void io.onOutput(chunk);
    const services = req.services ?? [];

    out(sectionStart("prepare_executor", 'Preparing the "docker" executor'));
    out(infoLine(`Using docker image ${req.image} ...`));
    const problem =
      services.length > (opts.servicesLimit ?? 5)
        ? `the job has ${services.length} services; this runner allows ${opts.servicesLimit ?? 5}`
        : await this.#ensureImages([req.image, ...services.map((s) => s.name)], opts, out);
    if (problem) {
      out(errorLine(`ERROR: Job failed: ${problem}`));
      out(sectionEnd("prepare_executor"));
      return { exitCode: null, failureReason: "image_pull_failure" };
    }

    const main = buildScript([...req.beforeScript, ...req.script], fileVariableKeys(req.variables));
    if (Buffer.byteLength(main) > MAX_SCRIPT_BYTES) {
      out(sectionEnd("prepare_executor"));
      out(errorLine(`ERROR: Job failed: script is larger than ${MAX_SCRIPT_BYTES} bytes`));
      return { exitCode: null, failureReason: "runner_system_failure" };
    }

    const env = toEnv(req.variables);
    let network: JobNetwork | undefined;
    try {
      if (services.length > 0) {
        out(sectionStart("prepare_services", "Starting services", { collapsed: true }));
        network = await JobNetwork.create(this.#docker, req.jobId, this.#runnerName);
        await startServices({
          docker: this.#docker,
          network,
          jobId: req.jobId,
          runnerName: this.#runnerName,
          services,
          env,
          hostConfig: limits(opts),
          probeImage: this.#helperImage,
          waitSeconds: opts.serviceWaitSeconds ?? 30,
          onInfo: (line) => out(infoLine(line)),
        });
        out(sectionEnd("prepare_services"));
      }
      out(sectionEnd("prepare_executor"));
      return await this.#runSteps(req, opts, env, main, network, io);
    } catch (err) {
      out(errorLine(`ERROR: Job failed (system failure): ${describe(err)}`));
      return { exitCode: null, failureReason: "runner_system_failure" };
    } finally {
      await network?.remove();
    }
  }

  async #runSteps(
    req: ExecutionRequest,
    opts: DockerOptions,
    env: string[],
    main: string,
    network: JobNetwork | undefined,
    io: ExecutionIO,
  ): Promise<ExecutionResult> {
    const out = (chunk: Buffer): void => void io.onOutput(chunk);
    const signal = io.signal;
    const base = {
      docker: this.#docker,
      jobId: req.jobId,
      runnerName: this.#runnerName,
      image: req.image,
      env,
      binds: binds(req, opts),
      volumes: (opts.volumes ?? []).filter((v) => !v.includes(":")),
      entrypoint: req.imageEntrypoint ?? null,
      workingDir: req.projectDir,
      hostConfig: { ...limits(opts), NetworkMode: network?.name ?? opts.networkMode ?? "bridge" },
      // The containers' output keeps the sink's backpressure; the executor's own lines need none.
      onOutput: io.onOutput,
    };

    let result: ExecutionResult;
    out(sectionStart("step_script", 'Executing "step_script" stage of the job script'));
    try {
      const outcome = await runContainer({
        ...base,
        cmd: ["sh", "-c", main],
        timeoutMs: req.timeoutSeconds * 1000,
        signal,
      });
      result = toResult(outcome, req.timeoutSeconds, opts, out);
    } catch (err) {
      out(errorLine(`ERROR: Job failed (system failure): ${describe(err)}`));
      result = { exitCode: null, failureReason: "runner_system_failure" };
    }
    out(sectionEnd("step_script"));

    if (req.afterScript.length > 0) await afterScript(req, base);
    return result;
  }

  async #ensureImages(
    images: string[],
    opts: DockerOptions,
    out: (b: Buffer) => void,
  ): Promise<string | null> {
    for (const image of new Set(images)) {
      const problem = await ensureImage(this.#docker, image, opts, (l) => out(infoLine(l)));
      if (problem) return problem;
    }
    return null;
  }
}

async function afterScript(
  req: ExecutionRequest,
  base: Omit<Parameters<typeof runContainer>[0], "cmd" | "timeoutMs">,
): Promise<void> {
  const out = (chunk: Buffer): void => void base.onOutput(chunk);
  const budget = req.afterScriptTimeoutSeconds ?? 300;
  out(sectionStart("after_script", "Running after_script"));
  out(infoLine("Running after script..."));
  try {
    // No abort signal: after_script must also run after cancel; only its own timeout bounds it.
    const outcome = await runContainer({
      ...base,
      cmd: ["sh", "-c", buildScript(req.afterScript, fileVariableKeys(req.variables))],
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

function binds(req: ExecutionRequest, opts: DockerOptions): string[] {
  const list = [
    `${req.hostWorkdir}:${req.projectDir}`,
    ...(opts.volumes ?? []).filter((v) => v.includes(":")),
  ];
  if (opts.dockerSocket) list.push(`${opts.dockerSocketPath ?? engineSocketPath()}:${CONTAINER_SOCKET}`);
  return list;
}

/** The engine's unix socket on the host, from DOCKER_HOST (`unix:///path`), else the standard path. */
export function engineSocketPath(dockerHost = process.env["DOCKER_HOST"]): string {
  return dockerHost?.startsWith("unix://") ? dockerHost.slice("unix://".length) : CONTAINER_SOCKET;
}

function limits(opts: DockerOptions): Docker.HostConfig {
  return {
    Privileged: opts.privileged ?? false,
    PidsLimit: opts.pidsLimit ?? 1024,
    // Memory and swap equal: the limit is a real limit, not "memory plus as much swap again".
    ...(opts.memory ? { Memory: opts.memory, MemorySwap: opts.memory } : {}),
    ...(opts.cpus ? { NanoCpus: Math.round(opts.cpus * 1e9) } : {}),
    SecurityOpt: ["no-new-privileges"],
  };
}

function toResult(
  outcome: ContainerOutcome,
  timeoutSeconds: number,
  opts: DockerOptions,
  out: (b: Buffer) => void,
): ExecutionResult {
  switch (outcome.kind) {
    case "exited":
      if (outcome.oomKilled) {
        const limit = opts.memory ? ` of ${Math.round(opts.memory / 1024 / 1024)} MiB` : "";
        out(
          errorLine(
            `ERROR: Job failed: out of memory — the job exceeded its memory limit${limit} and was killed (OOMKilled, exit code ${outcome.exitCode})`,
          ),
        );
        return { exitCode: outcome.exitCode, failureReason: "script_failure" };
      }
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
