import { randomBytes } from "node:crypto";
import type { Db } from "@minilab/db";
import { sha256Hex } from "./secrets.ts";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface CreateSessionOptions {
  db: Db;
  userId: number;
}

/** Returns the cookie value; only its SHA-256 is stored, as Session.id. */
export async function createSession({
  db,
  userId,
}: CreateSessionOptions): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({ data: { id: sha256Hex(token), userId, expiresAt } });
  return { token, expiresAt };
}
