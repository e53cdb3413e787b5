import type { Db } from "@minilab/db";
import { AppError } from "../errors.ts";

export interface RevokePersonalAccessTokenOptions {
  db: Db;
  /** The owner: a user can revoke only their own tokens. */
  userId: number;
  id: number;
}

/** Idempotent for the owner; another user's token is `not_found`, as if it did not exist. */
export async function revokePersonalAccessToken({
  db,
  userId,
  id,
}: RevokePersonalAccessTokenOptions): Promise<void> {
  const { count } = await db.personalAccessToken.updateMany({
    where: { id, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (
    count === 0 &&
    !(await db.personalAccessToken.findFirst({ where: { id, userId }, select: { id: true } }))
  ) {
    throw new AppError("not_found", "personal access token not found");
  }
}
