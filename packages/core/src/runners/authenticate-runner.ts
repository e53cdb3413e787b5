import { ONLINE_WINDOW_MS } from "@minilab/contracts";
import type { Db, Runner } from "@minilab/db";
import { getRedis, publishRunnerPresence } from "@minilab/queue";
import { sha256Hex } from "../auth/secrets.ts";
import { AppError } from "../errors.ts";

export interface AuthenticateRunnerOptions {
  db: Db;
  token: string;
}

/** Runners poll often; contactedAt only needs to be good enough for an "online" indicator. */
const CONTACT_GRANULARITY_MS = 5_000;

export async function authenticateRunner({ db, token }: AuthenticateRunnerOptions): Promise<Runner> {
  const runner = token ? await db.runner.findUnique({ where: { tokenHash: sha256Hex(token) } }) : null;
  if (!runner || !runner.active) throw new AppError("unauthorized", "invalid or inactive runner token");
  const now = new Date();
  if (!runner.contactedAt || now.getTime() - runner.contactedAt.getTime() >= CONTACT_GRANULARITY_MS) {
    await db.runner.updateMany({
      where: {
        id: runner.id,
        OR: [
          { contactedAt: null },
          { contactedAt: { lt: new Date(now.getTime() - CONTACT_GRANULARITY_MS) } },
        ],
      },
      data: { contactedAt: now },
    });
    // Offline → online: jobs waiting for "no online runner" may now be taken; pipeline and job pages
    // showing that reason and the admin runners page hear it (a notification only, so a failed publish
    // changes nothing). Going offline is announced by runner-presence.ts.
    // Not awaited: a runner's request never waits on Redis for a notification.
    if (!runner.contactedAt || now.getTime() - runner.contactedAt.getTime() >= ONLINE_WINDOW_MS)
      notifyRunnerOnline(runner.id);
    return { ...runner, contactedAt: now };
  }
  return runner;
}

function notifyRunnerOnline(runnerId: number): void {
  const report = (e: unknown) => console.error("minilab: publishing runner activity failed", e);
  try {
    publishRunnerPresence(getRedis(), { runnerId, online: true }).catch(report);
  } catch (e) {
    report(e); // no Redis configured
  }
}
