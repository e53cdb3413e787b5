/**
 * Runner configuration, read from the environment once at start-up. This is the only file that reads
 * process.env; everything else receives a {@link RunnerConfig}.
 */
import os from "node:os";
import path from "node:path";

export interface RunnerConfig {
  /** Base URL of apps/web, e.g. `http://127.0.0.1:3000`. */
  serverUrl: string;
  runnerToken: string;
  redisUrl: string;
  /** @defaultValue 2 */
  concurrency: number;
  /** @defaultValue `<os tmpdir>/minilab-builds` */
  buildsDir: string;
  /** Used when a job names no image. @defaultValue "minilab/busybox:latest" */
  defaultImage: string;
  /** @defaultValue "bridge" */
  networkMode: string;
  /** @defaultValue "docker" */
  executor: "docker" | "fake";
  /** Runner name shown in the UI. @defaultValue the host name */
  name: string;
  /** BullMQ key prefix; must match the web app's MINILAB_QUEUE_PREFIX. @defaultValue BullMQ's `bull` */
  queuePrefix: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): RunnerConfig {
  const required = (key: string): string => {
    const v = env[key]?.trim();
    if (!v) throw new ConfigError(`${key} is required`);
    return v;
  };
  const optional = (key: string, fallback: string): string => env[key]?.trim() || fallback;

  const serverUrl = required("MINILAB_URL");
  try {
    const u = new URL(serverUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(`MINILAB_URL must be an http(s) URL, got "${serverUrl}"`);
  }
  const redisUrl = required("REDIS_URL");
  if (!/^rediss?:\/\//.test(redisUrl))
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://`);

  const concurrencyText = optional("MINILAB_RUNNER_CONCURRENCY", "2");
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new ConfigError(`MINILAB_RUNNER_CONCURRENCY must be an integer 1..64, got "${concurrencyText}"`);

  const executor = optional("MINILAB_RUNNER_EXECUTOR", "docker");
  if (executor !== "docker" && executor !== "fake")
    throw new ConfigError(`MINILAB_RUNNER_EXECUTOR must be "docker" or "fake", got "${executor}"`);

  return {
    serverUrl: serverUrl.replace(/\/+$/, ""),
    runnerToken: required("MINILAB_RUNNER_TOKEN"),
    redisUrl,
    concurrency,
    buildsDir: path.resolve(optional("MINILAB_RUNNER_BUILDS_DIR", path.join(os.tmpdir(), "minilab-builds"))),
    defaultImage: optional("MINILAB_RUNNER_DEFAULT_IMAGE", "minilab/busybox:latest"),
    networkMode: optional("MINILAB_RUNNER_NETWORK_MODE", "bridge"),
    executor,
    name: optional("MINILAB_RUNNER_NAME", os.hostname()),
    queuePrefix: env["MINILAB_QUEUE_PREFIX"]?.trim() || undefined,
  };
}
