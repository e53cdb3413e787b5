import type { Db, Job } from "@minilab/db";
import { hashJobToken } from "./job-token.ts";

export interface AuthenticateJobTokenOptions {
  db: Db;
  token: string;
}

/** The running job a CI job token belongs to, or null (unknown token, or the job is no longer running). */
export async function authenticateJobToken({
  db,
  token,
}: AuthenticateJobTokenOptions): Promise<{ job: Job } | null> {
  if (!token) return null;
  const job = await db.job.findUnique({ where: { tokenHash: hashJobToken(token) } });
  return job && job.status === "running" ? { job } : null;
}
