/**
 * Runs one command in a fresh container and always removes it.
 *
 * Lifecycle: create → attach (before start, so no early output is lost) → start → wait. A timeout or
 * an abort kills the container; `wait()` then returns and the attach stream ends. The container is
 * removed in `finally` whatever happened, so a crashed step never leaves one behind (leftovers of a
 * crashed runner are found by the `minilab.job-id` label, see {@link removeLeftoverContainers}).
 */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { pumpAttachStream, type AttachPump } from "./docker-demux.ts";
import type { OutputSink } from "./types.ts";

export const JOB_ID_LABEL = "minilab.job-id";
/** Which runner owns a container, so one runner's cleanup never kills another's jobs on a shared engine. */
export const RUNNER_LABEL = "minilab.runner";

export interface ContainerRun {
  docker: Docker;
  jobId: number;
  runnerName: string;
  image: string;
  cmd: string[];
  env: string[];
  binds: string[];
  workingDir: string;
  hostConfig: Docker.HostConfig;
  /** Overrides the image's entrypoint (`[""]` clears it). */
  entrypoint?: string[] | null;
  /** Anonymous volumes (container paths); removed with the container. */
  volumes?: string[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** A pending promise stops reading the container's output (backpressure), see OutputSink. */
  onOutput: OutputSink;
}

export type ContainerOutcome =
  /** `oomKilled`: the kernel killed a process for exceeding the container's memory limit. */
  { kind: "exited"; exitCode: number; oomKilled: boolean } | { kind: "timeout" } | { kind: "aborted" };

export async function runContainer(run: ContainerRun): Promise<ContainerOutcome> {
  const container = await run.docker.createContainer({
    Image: run.image,
    Cmd: run.cmd,
    Env: run.env,
    WorkingDir: run.workingDir,
    ...(run.entrypoint ? { Entrypoint: run.entrypoint } : {}),
    ...(run.volumes?.length ? { Volumes: Object.fromEntries(run.volumes.map((v) => [v, {}])) } : {}),
    Labels: { [JOB_ID_LABEL]: String(run.jobId), [RUNNER_LABEL]: run.runnerName },
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: { ...run.hostConfig, Binds: run.binds, AutoRemove: false },
  });
  try {
    // An http socket: async-iterable (pausing while the loop awaits) and destroyable.
    const stream = (await container.attach({
      stream: true,
      stdout: true,
      stderr: true,
    })) as unknown as Readable;
    const pump = pumpAttachStream(stream, run.onOutput);

    let stopReason: "timeout" | "aborted" | undefined;
    const stop = (reason: "timeout" | "aborted"): void => {
      if (stopReason) return;
      stopReason = reason;
      // A kill racing the natural exit fails with 409/304; the wait() below settles either way.
      container.kill().catch(() => undefined);
    };
    const timer = setTimeout(() => stop("timeout"), run.timeoutMs);
    const onAbort = (): void => stop("aborted");
    if (run.signal?.aborted) {
      clearTimeout(timer);
      stream.destroy();
      return { kind: "aborted" };
    }
    run.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await container.start();
      // An abort/timeout that fired while start() was in flight killed nothing; kill now.
      if (stopReason) await container.kill().catch(() => undefined);
      const result = (await container.wait()) as { StatusCode: number };
      await drain(pump, stream);
      if (stopReason) return { kind: stopReason };
      const state = await container.inspect().then(
        (i) => i.State,
        () => undefined,
      );
      return { kind: "exited", exitCode: result.StatusCode, oomKilled: state?.OOMKilled === true };
    } finally {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
    }
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/**
 * Removes job containers, networks and volumes left by a previous process of this runner (crash,
 * SIGKILL). Call before taking jobs: anything labelled with this runner's name is then an orphan.
 * Returns how many objects were removed.
 */
export async function removeLeftoverContainers(docker: Docker, runnerName: string): Promise<number> {
  const filters = { label: [JOB_ID_LABEL, `${RUNNER_LABEL}=${runnerName}`] };
  const list = await docker.listContainers({ all: true, filters });
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  // Networks after containers: a network with attached containers cannot be removed.
  const networks = await docker.listNetworks({ filters });
  await Promise.all(
    networks.map((n) =>
      docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined),
    ),
  );
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  await Promise.all(
    volumes.map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
  return list.length + networks.length + volumes.length;
}

/**
 * The attach stream ends shortly after exit; wait for it so no trailing output is dropped — however
 * long the sink holds it back (backpressure) — but never hang on a stream the daemon forgot to close:
 * 2 s without a byte while the sink is not holding it back ends the wait.
 */
async function drain(pump: AttachPump, stream: { destroy(): void }): Promise<void> {
  for (;;) {
    const ended = await Promise.race([pump.done.then(() => true), delay(100).then(() => false)]);
    if (ended) return;
    if (!pump.waiting && Date.now() - pump.lastReadAt > 2000) {
      stream.destroy();
      return;
    }
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
