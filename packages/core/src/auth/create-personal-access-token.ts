import type { Db } from "@minilab/db";
import { AppError } from "../errors.ts";
import { omitTokenHash, PAT_PREFIX, type PersonalAccessTokenInfo } from "./personal-access-token.ts";
import { parseScopes } from "./scopes.ts";
import { randomBase62, sha256Hex } from "./secrets.ts";

export interface CreatePersonalAccessTokenOptions {
  db: Db;
  userId: number;
  name: string;
  /** Subset of TOKEN_SCOPES; at least one. */
  scopes: readonly string[];
  /** Must be in the future. @defaultValue never expires */
  expiresAt?: Date | null;
}

/** The token value is returned once, here; afterwards only its hash exists. */
export async function createPersonalAccessToken({
  db,
  userId,
  name,
  scopes,
  expiresAt = null,
}: CreatePersonalAccessTokenOptions): Promise<{ token: string; record: PersonalAccessTokenInfo }> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 255)
    throw new AppError("invalid_input", "name must be 1 to 255 characters", { field: "name" });
  const valid = parseScopes(scopes);
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new AppError("invalid_input", "expiry date must be in the future", { field: "expiresAt" });
  }
  const token = PAT_PREFIX + randomBase62(24);
  const record = await db.personalAccessToken.create({
    data: { userId, name: trimmed, scopes: valid, expiresAt, tokenHash: sha256Hex(token) },
    omit: omitTokenHash,
  });
  return { token, record };
}
