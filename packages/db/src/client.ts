import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;

/**
 * Interactive transactions wait up to `maxWait` for a pooled connection and may run for `timeout`.
 * Prisma's defaults (2 s / 5 s) refused pipelines under a burst of pushes: 20 concurrent creations
 * for one project queue on its row lock while holding the pool's 10 connections, and a 500-job
 * pipeline's transaction takes seconds on a loaded 2-core machine.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 60_000 };

/** A new client for `url`; callers own it and must `$disconnect()` it. */
export function createDb(url: string): Db {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 10 }),
    transactionOptions: TRANSACTION_OPTIONS,
  });
}

let shared: Db | undefined;

/**
 * The process-wide client for `DATABASE_URL`. One per process so the connection pool is shared
 * (Next.js may evaluate modules more than once in dev: keep it on globalThis).
 */
export function getDb(): Db {
  const g = globalThis as { __minilabDb?: Db };
  if (g.__minilabDb) return g.__minilabDb;
  const url = process.env["DATABASE_URL"];
  if (!url) throw new Error("DATABASE_URL is not set");
  shared = createDb(url);
  g.__minilabDb = shared;
  return shared;
}

export async function closeDb(): Promise<void> {
  const g = globalThis as { __minilabDb?: Db };
  await g.__minilabDb?.$disconnect();
  g.__minilabDb = undefined;
  shared = undefined;
}
