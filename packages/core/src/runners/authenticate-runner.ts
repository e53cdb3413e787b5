import type { Db, Runner } from "@minilab/db";
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
    return { ...runner, contactedAt: now };
  }
  return runner;
}
