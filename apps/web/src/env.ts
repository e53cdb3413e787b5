/**
 * The web app's environment, validated once. Everything in apps/web reads settings from here;
 * `process.env` is not read anywhere else in this app (packages read their own subset, see
 * packages/core/src/config.ts).
 *
 * Lazy on purpose: `next build` evaluates modules without a runtime environment, so validation
 * happens on first use at runtime (and eagerly at server start, in instrumentation.ts).
 */
import { z } from "zod";

const Env = z.object({
  DATABASE_URL: z.string().min(1, "is required (postgresql://user@host:port/db)"),
  REDIS_URL: z.string().min(1, "is required (redis://host:port)"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  MINILAB_DATA_DIR: z.string().min(1).optional(),
  EXTERNAL_URL: z.url("must be an absolute URL such as https://minilab.example.com").optional(),
});

export interface WebEnv {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  dataDir: string | undefined;
  /** Base URL users reach the app at, without trailing slash. */
  externalUrl: string;
}

let cached: WebEnv | undefined;

export class EnvError extends Error {
  override name = "EnvError";
}

export function env(): WebEnv {
  if (cached) return cached;
  const r = Env.safeParse(process.env);
  if (!r.success) {
    const problems = r.error.issues.map((i) => {
      const key = i.path.join(".");
      const value = key ? process.env[key] : undefined;
      return value === undefined || value === "" ? `${key} is required but not set` : `${key} ${i.message}`;
    });
    throw new EnvError(`Invalid environment: ${problems.join("; ")}`);
  }
  const e = r.data;
  cached = {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    dataDir: e.MINILAB_DATA_DIR,
    externalUrl: (e.EXTERNAL_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
  };
  return cached;
}
