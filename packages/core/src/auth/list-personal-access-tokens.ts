import type { Db } from "@minilab/db";
import { omitTokenHash, type PersonalAccessTokenInfo } from "./personal-access-token.ts";

export interface ListPersonalAccessTokensOptions {
  db: Db;
  userId: number;
}

/** All of a user's tokens, newest first, including revoked and expired ones (the UI shows their state). */
export function listPersonalAccessTokens({
  db,
  userId,
}: ListPersonalAccessTokensOptions): Promise<PersonalAccessTokenInfo[]> {
  return db.personalAccessToken.findMany({ where: { userId }, orderBy: { id: "desc" }, omit: omitTokenHash });
}
