/**
 * CI job tokens (`glcbt-…`): minted at claim, valid while the job runs, stored only as SHA-256 in
 * `jobs.token_hash` (unique, so a token identifies exactly one job).
 */
import { randomBase62, sha256Hex } from "../auth/secrets.ts";
import { AppError } from "../errors.ts";

export const JOB_TOKEN_PREFIX = "glcbt-";

export const newJobToken = (): string => JOB_TOKEN_PREFIX + randomBase62(32);
export const hashJobToken = (token: string): string => sha256Hex(token);

/** Postgres `integer` ids: anything else in a URL is the client's mistake (400), never a 500. */
export function parseJobId(raw: string): number {
  const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647)
    throw new AppError("invalid_input", `Invalid job id: ${raw}`);
  return id;
}
