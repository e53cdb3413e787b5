import type { Db, Job } from "@minilab/db";
import { hashJobToken } from "./job-token.ts";

export interface AuthenticateJobTokenOptions {
  db: Db;
  token: string;
}

/** The running (or canceling) job a CI job token belongs to, or null (unknown token, or the job ended). */
export async function authenticateJobToken({
  db,
  token,
}: AuthenticateJobTokenOptions): Promise<{ job: Job } | null> {
  if (!token) return null;
  const job = await db.job.findUnique({ where: { tokenHash: hashJobToken(token) } });
  // A canceling job still runs after_script, which may use its token (clone, API, artifacts).
  return job && (job.status === "running" || job.status === "canceling") ? { job } : null;
}
