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
  };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetCoreConfig(): void {
  cached = undefined;
}
