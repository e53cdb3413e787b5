/**
 * Core settings, read from the environment once. The web app validates the full environment at
 * start-up (apps/web/src/env.ts); this is the subset use-cases need.
 */
import path from "node:path";

export interface CoreConfig {
  /** Root of everything minilab stores on disk. @defaultValue `.minilab` (absolute path) */
  dataDir: string;
  /** Bare repositories: `<reposDir>/<namespace>/<project>.git`. */
  reposDir: string;
  /** Base URL users and runners reach the web app at, without trailing slash. @defaultValue `http://localhost:3000` */
  externalUrl: string;
  /** Job timeout when neither job nor project sets one. @defaultValue 3600 */
  defaultJobTimeoutSeconds: number;
  /** Largest git smart-HTTP request body (env MINILAB_GIT_MAX_BODY_BYTES); larger → 413. @defaultValue 2 GiB */
  gitMaxBodyBytes: number;
  /** Job artifacts: `<artifactsDir>/<project>/<job>/<type>`. */
  artifactsDir: string;
  /** Largest artifact upload (env MINILAB_MAX_ARTIFACTS_SIZE, bytes); larger → 413. @defaultValue 100 MiB */
  maxArtifactsBytes: number;
  /** `expire_in` when a job sets none (GitLab's default). @defaultValue 30 days */
  defaultArtifactsExpireSeconds: number;
}

const DEFAULT_GIT_MAX_BODY_BYTES = 2 * 1024 ** 3;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

let cached: CoreConfig | undefined;

export function coreConfig(): CoreConfig {
  if (cached) return cached;
  const env = process.env;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env["MINILAB_DATA_DIR"] ?? ".minilab");
  const port = env["PORT"] ?? "3000";
  const externalUrl = (env["EXTERNAL_URL"] ?? `http://localhost:${port}`).replace(/\/+$/, "");
  cached = {
    dataDir,
    reposDir: path.join(dataDir, "repos"),
    externalUrl,
    defaultJobTimeoutSeconds: 3600,
    gitMaxBodyBytes: positiveInt(
      "MINILAB_GIT_MAX_BODY_BYTES",
      env["MINILAB_GIT_MAX_BODY_BYTES"],
      DEFAULT_GIT_MAX_BODY_BYTES,
    ),
    artifactsDir: path.join(dataDir, "artifacts"),
    // Stored sizes are 32-bit columns: keep the limit below 2 GiB.
    maxArtifactsBytes: Math.min(
      positiveInt("MINILAB_MAX_ARTIFACTS_SIZE", env["MINILAB_MAX_ARTIFACTS_SIZE"], 100 * 1024 ** 2),
      2 * 1024 ** 3 - 1,
    ),
    defaultArtifactsExpireSeconds: 30 * 86400,
  };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetCoreConfig(): void {
  cached = undefined;
}
