/**
 * Runner heartbeat (`POST /api/v4/runners/verify`): authenticates the token and records the contact
 * time and the facts the runner reports (version, executor), which the admin runners page shows.
 */
import type { ClaimRequest, VerifyRunnerResponse } from "@minilab/contracts";
import type { Db } from "@minilab/db";
import { authenticateRunner } from "./authenticate-runner.ts";

export interface VerifyRunnerOptions {
  db: Db;
  token: string;
  info?: ClaimRequest["info"];
}

export async function verifyRunner({ db, token, info }: VerifyRunnerOptions): Promise<VerifyRunnerResponse> {
  const runner = await authenticateRunner({ db, token });
  await db.runner.update({
    where: { id: runner.id },
    data: {
      contactedAt: new Date(),
      ...(info?.version !== undefined ? { version: info.version.slice(0, 100) } : {}),
      ...(info?.executor !== undefined ? { executor: info.executor.slice(0, 50) } : {}),
    },
  });
  return {
    id: runner.id,
    description: runner.description,
    tags: runner.tags,
    runUntagged: runner.runUntagged,
  };
}
