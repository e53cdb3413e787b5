/**
 * Removes a job's artifacts (API `DELETE /projects/:id/jobs/:job_id/artifacts`). The caller checked
 * the permission (maintainer, as GitLab). Rows go first, then files: a concurrent download either
 * found the row and streams a file still open, or finds nothing.
 */
import type { Db } from "@minilab/db";
import { AppError } from "../errors.ts";
import { removeStored } from "./artifact-storage.ts";

export interface DeleteJobArtifactsOptions {
  db: Db;
  projectId: number;
  jobId: number;
}

export async function deleteJobArtifacts(opts: DeleteJobArtifactsOptions): Promise<number> {
  const rows = await opts.db.jobArtifact.findMany({
    where: { jobId: opts.jobId, projectId: opts.projectId },
    select: { id: true, storagePath: true },
  });
  if (rows.length === 0) throw new AppError("not_found", "404 Artifacts Not Found");
  await opts.db.jobArtifact.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  for (const r of rows) await removeStored(r.storagePath);
  return rows.length;
}
