/**
 * The runner's TOML configuration file, in the spirit of gitlab-runner's `config.toml` (one runner per
 * file, so the keys sit at the top level instead of under `[[runners]]`). Unknown keys are errors:
 * a typo must not silently fall back to a default. Every error names the offending key.
 */
import { parse as parseToml, TomlError } from "smol-toml";
import { z } from "zod";
import { ConfigError } from "./config-error.ts";

const size = z.union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*[kmgKMG]?[bB]?$/)]);

const DockerSection = z
  .object({
    /** Default image for jobs that name none. */
    image: z.string().min(1),
    pull_policy: z.enum(["always", "if-not-present", "never"]),
    privileged: z.boolean(),
    /** `host:container[:ro]` binds, or `/path` for an anonymous volume removed with the job. */
    volumes: z.array(z.string().min(1)),
    network_mode: z.string().min(1),
    /** Bytes, or a size such as `512m`, `2g`. */
    memory: size,
    cpus: z.number().positive(),
    pids_limit: z.number().int().positive(),
    /** Glob patterns (`*` matches anything); empty = any image. */
    allowed_images: z.array(z.string().min(1)),
    services_limit: z.number().int().min(0),
    /** Bind the engine socket into job containers: jobs then control the host's Docker. Trusted only. */
    docker_socket: z.boolean(),
  })
  .partial()
  .strict();

export const ConfigFile = z
  .object({
    url: z.string().min(1),
    token: z.string().min(1),
    redis_url: z.string().min(1),
    name: z.string().min(1),
    concurrent: z.number().int().min(1).max(64),
    executor: z.enum(["docker", "shell", "fake"]),
    tags: z.array(z.string().min(1).max(255)),
    run_untagged: z.boolean(),
    builds_dir: z.string().min(1),
    cache_dir: z.string().min(1),
    /** Bound of the local cache (`cache_dir`), bytes or a size such as `5g`; LRU eviction. */
    cache_max_size: size,
    /** Job log limit in KB. */
    output_limit: z.number().int().positive(),
    queue_prefix: z.string().min(1),
    docker: DockerSection,
  })
  .partial()
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

/** Parses and validates the file text; `source` (the path) prefixes error messages. */
export function parseConfigFile(text: string, source: string): ConfigFile {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : "";
    throw new ConfigError(
      `${source}: invalid TOML${where}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
    );
  }
  const result = ConfigFile.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key =
    issue.code === "unrecognized_keys"
      ? [...issue.path, issue.keys[0] ?? ""].join(".")
      : issue.path.map(String).join(".");
  const what = issue.code === "unrecognized_keys" ? "unknown key" : issue.message;
  throw new ConfigError(`${source}: ${key}: ${what}`);
}

/** `512m` → bytes. Numbers are bytes already. */
export function parseSize(value: number | string, key: string): number {
  if (typeof value === "number") return value;
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(value.trim());
  if (!m) throw new ConfigError(`${key}: not a size: "${value}"`);
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * mult);
}
