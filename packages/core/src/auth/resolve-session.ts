import type { Db, User } from "@minilab/db";
import { sha256Hex } from "./secrets.ts";

export interface ResolveSessionOptions {
  db: Db;
  /** The cookie value. */
  token: string;
}

/** The signed-in user, or null for an unknown or expired session (an expired one is deleted). */
export async function resolveSession({ db, token }: ResolveSessionOptions): Promise<User | null> {
  if (!token) return null;
  const id = sha256Hex(token);
  const session = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now()) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  return session.user;
}
