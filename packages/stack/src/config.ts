/**
 * The orchestrator's environment, validated once. This is the only module in packages/stack that
 * reads `process.env`; everything else receives a `StackConfig` or asks `childEnv()` for the
 * environment to hand to a child process.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (packages/stack/src → ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface StackConfig {
  /** Web port. @defaultValue 3000 */
  port: number;
  /** Where `start` keeps its data. @defaultValue `<repo>/.minilab` */
  dataDir: string;
  /** URL users and runners reach the web app at. @defaultValue `http://localhost:<port>` */
  externalUrl: string;
  /** Use this Postgres server instead of starting one. */
  databaseUrl: string | undefined;
  /** Use this Redis instead of starting one. */
  redisUrl: string | undefined;
  /** Use this Docker engine instead of starting one (`unix://…` or `tcp://…`). */
  dockerHost: string | undefined;
  /** Whether stdout is a CI log (no interactive niceties). */
  ci: boolean;
  /** Comma-separated test steps to run (`MINILAB_TEST_ONLY`); empty means all. */
  testOnly: string[];
  /** Comma-separated test steps to skip (`MINILAB_TEST_SKIP`). */
  testSkip: string[];
}

export class ConfigError extends Error {}

function parseUrl(name: string, value: string, protocols: string[]): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${value}"`);
  }
  if (!protocols.includes(u.protocol)) {
    throw new ConfigError(
      `${name} must start with ${protocols.map((p) => `${p}//`).join(" or ")}, got "${value}"`,
    );
  }
  return value;
}

const list = (v: string | undefined): string[] =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Validates `env`; throws `ConfigError` naming the offending variable. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): StackConfig {
  const rawPort = env["PORT"] ?? "3000";
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 1 and 65535, got "${rawPort}"`);
  }
  const dataDir = path.resolve(REPO_ROOT, env["MINILAB_DATA_DIR"] || ".minilab");
  const externalUrl = parseUrl("EXTERNAL_URL", env["EXTERNAL_URL"] || `http://localhost:${port}`, [
    "http:",
    "https:",
  ]);
  const opt = (name: string, protocols: string[]): string | undefined => {
    const v = env[name];
    return v ? parseUrl(name, v, protocols) : undefined;
  };
  return {
    port,
    dataDir,
    externalUrl: externalUrl.replace(/\/+$/, ""),
    databaseUrl: opt("DATABASE_URL", ["postgres:", "postgresql:"]),
    redisUrl: opt("REDIS_URL", ["redis:", "rediss:"]),
    dockerHost: opt("DOCKER_HOST", ["unix:", "tcp:"]),
    ci: Boolean(env["CI"]),
    testOnly: list(env["MINILAB_TEST_ONLY"]),
    testSkip: list(env["MINILAB_TEST_SKIP"]),
  };
}

let cached: StackConfig | undefined;

/** The validated configuration; prints one clear line and exits 2 when the environment is invalid. */
export function loadConfig(): StackConfig {
  if (cached) return cached;
  try {
    cached = parseConfig(process.env);
    return cached;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`✗ invalid configuration: ${e.message}\n`);
    process.exit(2);
  }
}

/**
 * Environment for child processes: ours, minus the variables the orchestrator decides itself (so a
 * stale DATABASE_URL in the shell cannot leak into a child that should use the managed server),
 * plus `extra`.
 */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}
