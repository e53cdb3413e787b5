/** Builds the configured executor and the per-job docker options from the runner config. */
import {
  DockerExecutor,
  FakeExecutor,
  ShellExecutor,
  type DockerOptions,
  type Executor,
} from "@minilab/executor";
import type { RunnerConfig } from "./config.ts";

export function dockerOptions(config: RunnerConfig): DockerOptions {
  const d = config.docker;
  return {
    networkMode: config.networkMode,
    pullPolicy: d.pullPolicy,
    privileged: d.privileged,
    volumes: d.volumes,
    pidsLimit: d.pidsLimit,
    allowedImages: d.allowedImages,
    servicesLimit: d.servicesLimit,
    dockerSocket: d.dockerSocket,
    ...(d.memory !== undefined ? { memory: d.memory } : {}),
    ...(d.cpus !== undefined ? { cpus: d.cpus } : {}),
  };
}

export async function createExecutor(config: RunnerConfig, log: (m: string) => void): Promise<Executor> {
  if (config.executor === "fake") return new FakeExecutor();
  if (config.executor === "shell") {
    log("WARNING: shell executor: jobs run unisolated on this host; use it only for trusted projects");
    return new ShellExecutor();
  }
  const executor = new DockerExecutor({ runnerName: config.name, defaults: dockerOptions(config) });
  await executor.ping().catch((err: unknown) => {
    throw new Error(
      `cannot reach the Docker engine (DOCKER_HOST=${process.env["DOCKER_HOST"] ?? "default socket"}): ${String(err)}`,
    );
  });
  if (config.docker.dockerSocket)
    log(
      "WARNING: docker_socket is on: jobs control the Docker engine (and so this host); trusted projects only",
    );
  const removed = await executor.removeLeftovers();
  if (removed > 0) log(`removed ${removed} leftover job container(s), network(s) and volume(s)`);
  return executor;
}
