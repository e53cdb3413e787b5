/**
 * Runner configuration, read once at start-up from an optional TOML file (`MINILAB_RUNNER_CONFIG` or
 * `--config <path>`, see ./config-file.ts) and the environment; environment variables override the
 * file. This is the only file that reads process.env; everything else receives a {@link RunnerConfig}.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError } from "./config-error.ts";
import { parseConfigFile, parseSize, type ConfigFile } from "./config-file.ts";

export { ConfigError };

export interface RunnerDockerConfig {
  /** @defaultValue "if-not-present" */
  pullPolicy: "always" | "if-not-present" | "never";
  /** @defaultValue false */
  privileged: boolean;
  /** @defaultValue [] */
  volumes: string[];
  /** Bytes; undefined = unlimited. */
  memory: number | undefined;
  cpus: number | undefined;
  /** @defaultValue 1024 */
  pidsLimit: number;
  /** Glob patterns; empty = any image. @defaultValue [] */
  allowedImages: string[];
  /** @defaultValue 5 */
  servicesLimit: number;
  /** Bind the engine socket into jobs (trusted only). @defaultValue false */
  dockerSocket: boolean;
}

export interface RunnerConfig {
  /** Base URL of apps/web, e.g. `http://127.0.0.1:3000`. */
  serverUrl: string;
  runnerToken: string;
  redisUrl: string;
  /** @defaultValue 2 */
  concurrency: number;
  /** @defaultValue `<os tmpdir>/minilab-builds` */
  buildsDir: string;
  /** @defaultValue `<os tmpdir>/minilab-cache` */
  cacheDir: string;
  /** Total size of cache archives kept in cacheDir; least recently used ones go first. @defaultValue 5 GiB */
  cacheMaxBytes: number;
  /** Used when a job names no image. @defaultValue "minilab/busybox:latest" */
  defaultImage: string;
  /** @defaultValue "bridge" */
  networkMode: string;
  /** @defaultValue "docker" */
  executor: "docker" | "shell" | "fake";
  /** Runner name shown in the UI. @defaultValue the host name */
  name: string;
  /** BullMQ key prefix; must match the web app's MINILAB_QUEUE_PREFIX. @defaultValue BullMQ's `bull` */
  queuePrefix: string | undefined;
  /** Tags this runner serves; must match its registration (the server checks its own record). */
  tags: string[];
  /** @defaultValue true */
  runUntagged: boolean;
  /** Job log limit in bytes. @defaultValue 4 MiB (gitlab-runner's 4096 KB) */
  outputLimitBytes: number;
  docker: RunnerDockerConfig;
  /** The TOML file read, if any. */
  configPath: string | undefined;
}

type Env = Record<string, string | undefined>;

/** `readFile` is injectable for tests. */
export function loadConfig(
  env: Env = process.env,
  argv: readonly string[] = process.argv.slice(2),
  readFile: (p: string) => string = (p) => readFileSync(p, "utf8"),
): RunnerConfig {
  const configPath = configPathFrom(argv) ?? (env["MINILAB_RUNNER_CONFIG"]?.trim() || undefined);
  let file: ConfigFile = {};
  if (configPath) {
    let text: string;
    try {
      text = readFile(configPath);
    } catch (err) {
      throw new ConfigError(`cannot read config file ${configPath}: ${(err as Error).message}`);
    }
    file = parseConfigFile(text, configPath);
  }
  const d = file.docker ?? {};
  const str = (key: string, fromFile: string | undefined): string | undefined => env[key]?.trim() || fromFile;
  const required = (key: string, fileKey: string, fromFile: string | undefined): string => {
    const v = str(key, fromFile);
    if (!v) throw new ConfigError(`${key} (or "${fileKey}" in the config file) is required`);
    return v;
  };

  const serverUrl = required("MINILAB_URL", "url", file.url);
  try {
    const u = new URL(serverUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(`MINILAB_URL / url must be an http(s) URL, got "${serverUrl}"`);
  }
  const redisUrl = required("REDIS_URL", "redis_url", file.redis_url);
  if (!/^rediss?:\/\//.test(redisUrl))
    throw new ConfigError(`REDIS_URL / redis_url must start with redis:// or rediss://`);

  const concurrency = int(env, "MINILAB_RUNNER_CONCURRENCY", file.concurrent ?? 2, 1, 64);
  const executor = str("MINILAB_RUNNER_EXECUTOR", file.executor) ?? "docker";
  if (executor !== "docker" && executor !== "shell" && executor !== "fake")
    throw new ConfigError(`MINILAB_RUNNER_EXECUTOR must be "docker", "shell" or "fake", got "${executor}"`);
  const pullPolicy = str("MINILAB_RUNNER_PULL_POLICY", d.pull_policy) ?? "if-not-present";
  if (pullPolicy !== "always" && pullPolicy !== "if-not-present" && pullPolicy !== "never")
    throw new ConfigError(
      `MINILAB_RUNNER_PULL_POLICY must be "always", "if-not-present" or "never", got "${pullPolicy}"`,
    );
  const envTags = env["MINILAB_RUNNER_TAGS"];
  const tags =
    envTags !== undefined ? envTags.split(",").map((t) => t.trim()) : (file.tags ?? []).map((t) => t.trim());
  const memory = str("MINILAB_RUNNER_MEMORY", undefined) ?? d.memory;

  return {
    serverUrl: serverUrl.replace(/\/+$/, ""),
    runnerToken: required("MINILAB_RUNNER_TOKEN", "token", file.token),
    redisUrl,
    concurrency,
    buildsDir: path.resolve(
      str("MINILAB_RUNNER_BUILDS_DIR", file.builds_dir) ?? path.join(os.tmpdir(), "minilab-builds"),
    ),
    cacheDir: path.resolve(
      str("MINILAB_RUNNER_CACHE_DIR", file.cache_dir) ?? path.join(os.tmpdir(), "minilab-cache"),
    ),
    cacheMaxBytes: parseSize(
      str("MINILAB_RUNNER_CACHE_MAX_SIZE", undefined) ?? file.cache_max_size ?? "5g",
      "cache_max_size",
    ),
    defaultImage: str("MINILAB_RUNNER_DEFAULT_IMAGE", d.image) ?? "minilab/busybox:latest",
    networkMode: str("MINILAB_RUNNER_NETWORK_MODE", d.network_mode) ?? "bridge",
    executor,
    name: str("MINILAB_RUNNER_NAME", file.name) ?? os.hostname(),
    queuePrefix: str("MINILAB_QUEUE_PREFIX", file.queue_prefix),
    tags: [...new Set(tags.filter(Boolean))].sort(),
    runUntagged: bool(env, "MINILAB_RUNNER_RUN_UNTAGGED", file.run_untagged ?? true),
    outputLimitBytes: int(env, "MINILAB_RUNNER_OUTPUT_LIMIT", file.output_limit ?? 4096, 1, 1 << 22) * 1024,
    docker: {
      pullPolicy,
      privileged: bool(env, "MINILAB_RUNNER_PRIVILEGED", d.privileged ?? false),
      volumes: d.volumes ?? [],
      memory: memory === undefined ? undefined : parseSize(memory, "docker.memory"),
      cpus: d.cpus,
      pidsLimit: d.pids_limit ?? 1024,
      allowedImages: d.allowed_images ?? [],
      servicesLimit: d.services_limit ?? 5,
      dockerSocket: bool(env, "MINILAB_RUNNER_DOCKER_SOCKET", d.docker_socket ?? false),
    },
    configPath,
  };
}

function configPathFrom(argv: readonly string[]): string | undefined {
  const i = argv.indexOf("--config");
  if (i === -1) return undefined;
  const p = argv[i + 1];
  if (!p) throw new ConfigError("--config needs a file path");
  return p;
}

function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const text = env[key]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${key} must be an integer ${min}..${max}, got "${text}"`);
  return n;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const text = env[key]?.trim().toLowerCase();
  if (!text) return fallback;
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw new ConfigError(`${key} must be true or false, got "${text}"`);
}
