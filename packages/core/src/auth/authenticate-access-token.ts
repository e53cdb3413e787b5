import type { Db, User } from "@minilab/db";
import { isTokenScope, type TokenScope } from "./scopes.ts";
import { sha256Hex } from "./secrets.ts";

export interface AuthenticateAccessTokenOptions {
  db: Db;
  token: string;
}

export interface TokenAuth {
  user: User;
  scopes: TokenScope[];
  /** The token's row id (GitLab's `GET /personal_access_tokens/self`); absent for password auth. */
  tokenId?: number;
}

/** lastUsedAt is informational; writing it on every API call would make every read a write. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** The token's user and scopes, or null when the token is unknown, revoked or expired. */
export async function authenticateAccessToken({
  db,
  token,
}: AuthenticateAccessTokenOptions): Promise<TokenAuth | null> {
  if (!token) return null;
  const pat = await db.personalAccessToken.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { user: true },
  });
  const now = new Date();
  if (!pat || pat.revokedAt || (pat.expiresAt && pat.expiresAt <= now)) return null;
  if (!pat.lastUsedAt || now.getTime() - pat.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    // Conditional so that a burst of concurrent requests produces a single write.
    await db.personalAccessToken.updateMany({
      where: {
        id: pat.id,
        OR: [
          { lastUsedAt: null },
          { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_GRANULARITY_MS) } },
        ],
      },
      data: { lastUsedAt: now },
    });
  }
  return { user: pat.user, scopes: pat.scopes.filter(isTokenScope), tokenId: pat.id };
}
