import type { Db } from "@minilab/db";
import { sha256Hex } from "./secrets.ts";

export interface DeleteSessionOptions {
  db: Db;
  token: string;
}

/** Sign-out. Idempotent: an unknown token is not an error. */
export async function deleteSession({ db, token }: DeleteSessionOptions): Promise<void> {
  await db.session.deleteMany({ where: { id: sha256Hex(token) } });
}
