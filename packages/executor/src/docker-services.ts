/**
 * `services:` for one job: a user-defined network created with `Internal: true` (containers on it
 * reach each other by alias but nothing outside the engine), one container per service, and a wait
 * until each service's exposed TCP ports answer. Everything carries the job and runner labels, and
 * {@link JobNetwork.remove} tears it all down (also after cancel and timeout; a crash leaves it to
 * removeLeftoverContainers at the next start).
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { JOB_ID_LABEL, RUNNER_LABEL, runContainer } from "./docker-container.ts";
import { describe } from "./docker-image.ts";
import type { ServiceRequest } from "./types.ts";

export class JobNetwork {
  readonly #containers: Docker.Container[] = [];
  private constructor(
    readonly name: string,
    private readonly network: Docker.Network,
  ) {}

  static async create(docker: Docker, jobId: number, runnerName: string): Promise<JobNetwork> {
    const name = `minilab-job-${jobId}-${randomBytes(4).toString("hex")}`;
    const labels = { [JOB_ID_LABEL]: String(jobId), [RUNNER_LABEL]: runnerName };
    const network = await docker.createNetwork({
      Name: name,
      Driver: "bridge",
      Internal: true,
      Labels: labels,
    });
    return new JobNetwork(name, network);
  }

  /** Service containers register here so {@link remove} finds them. */
  track(c: Docker.Container): void {
    this.#containers.push(c);
  }

  async remove(): Promise<void> {
    await Promise.all(this.#containers.map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
    await this.network.remove().catch(() => undefined);
  }
}

/** The default alias GitLab derives from an image name: `postgres:15` → `postgres`, `a/b:1` → `a-b` and `a__b`. */
export function serviceAliases(s: ServiceRequest): string[] {
  if (s.alias)
    return s.alias
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean);
  const bare = s.name.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
  return [...new Set([bare.replaceAll("/", "-"), bare.replaceAll("/", "__")])];
}

export interface StartServicesOptions {
  docker: Docker;
  network: JobNetwork;
  jobId: number;
  runnerName: string;
  services: ServiceRequest[];
  env: string[];
  hostConfig: Docker.HostConfig;
  /** Image used to probe ports (needs `sh` and busybox `nc`). */
  probeImage: string;
  waitSeconds: number;
  onInfo(line: string): void;
}

/** Starts every service and waits for its ports; a service that never answers is only a warning (as GitLab). */
export async function startServices(o: StartServicesOptions): Promise<void> {
  for (const s of o.services) {
    const aliases = serviceAliases(s);
    o.onInfo(`Starting service ${s.name} as ${aliases.join(", ")} ...`);
    const container = await o.docker.createContainer({
      Image: s.name,
      Env: o.env,
      Labels: { [JOB_ID_LABEL]: String(o.jobId), [RUNNER_LABEL]: o.runnerName, "minilab.service": s.name },
      ...(s.entrypoint ? { Entrypoint: s.entrypoint } : {}),
      ...(s.command ? { Cmd: s.command } : {}),
      HostConfig: { ...o.hostConfig, NetworkMode: o.network.name, Binds: [] },
      NetworkingConfig: { EndpointsConfig: { [o.network.name]: { Aliases: aliases } } },
    });
    o.network.track(container);
    await container.start();
    const info = await o.docker.getImage(s.name).inspect();
    const ports = Object.keys(info.Config.ExposedPorts ?? {})
      .filter((p) => p.endsWith("/tcp"))
      .map((p) => Number.parseInt(p, 10));
    for (const port of ports) await waitForPort(o, aliases[0]!, port);
  }
}

async function waitForPort(o: StartServicesOptions, host: string, port: number): Promise<void> {
  o.onInfo(`Waiting for service ${host}:${port} to answer ...`);
  // busybox nc has no -z: connect with stdin closed; exit 0 means the connection was accepted.
  const script = `i=0; while [ $i -lt ${o.waitSeconds} ]; do nc -w 1 ${host} ${port} </dev/null >/dev/null 2>&1 && exit 0; i=$((i+1)); sleep 1; done; exit 1`;
  try {
    const outcome = await runContainer({
      docker: o.docker,
      jobId: o.jobId,
      runnerName: o.runnerName,
      image: o.probeImage,
      cmd: ["sh", "-c", script],
      env: [],
      binds: [],
      workingDir: "/",
      hostConfig: { NetworkMode: o.network.name },
      timeoutMs: (o.waitSeconds + 10) * 1000,
      onOutput: () => undefined,
    });
    if (outcome.kind !== "exited" || outcome.exitCode !== 0)
      o.onInfo(`WARNING: service ${host}:${port} did not answer within ${o.waitSeconds}s`);
  } catch (err) {
    o.onInfo(`WARNING: could not probe service ${host}:${port}: ${describe(err)}`);
  }
}
