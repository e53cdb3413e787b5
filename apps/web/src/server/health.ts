/** Dependency checks for /-/readiness: each bounded by a timeout so a hung dependency reads as down. */
import { getDb } from "@minilab/db";
import { getRedis } from "@minilab/queue";

const TIMEOUT_MS = 2_000;

export interface CheckResult {
  status: "ok" | "failed";
  message?: string;
}

async function timed(fn: () => Promise<unknown>): Promise<CheckResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: "ok" };
  } catch (e) {
    return { status: "failed", message: e instanceof Error ? e.message : String(e) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export async function readiness(): Promise<Record<"db" | "redis", CheckResult>> {
  const [db, redis] = await Promise.all([
    timed(() => getDb().$queryRaw`SELECT 1`),
    timed(() => getRedis().ping()),
  ]);
  return { db, redis };
}
