/**
 * Runner API: a running job downloads another job's archive (its dependencies, before the script).
 * The caller is the running job the `JOB-TOKEN` belongs to; it may read artifacts of jobs in its own
 * project only — the same reach a CI job token has in GitLab.
 */
import type { Db } from "@minilab/db";
import { AppError } from "../errors.ts";
import { authenticateJobToken } from "../jobs/authenticate-job-token.ts";
import { findJobArtifacts } from "./find-job-artifacts.ts";

export interface DownloadArtifactsForJobOptions {
  db: Db;
  /** The job whose artifacts are wanted. */
  jobId: number;
  /** Token of the downloading (running) job. */
  jobToken: string;
}

export async function downloadArtifactsForJob(
  opts: DownloadArtifactsForJobOptions,
): Promise<{ path: string; size: number; filename: string }> {
  const auth = await authenticateJobToken({ db: opts.db, token: opts.jobToken });
  if (!auth) throw new AppError("forbidden", "403 Forbidden: invalid job token");
  const target = await opts.db.job.findUnique({ where: { id: opts.jobId }, select: { projectId: true } });
  if (!target || target.projectId !== auth.job.projectId)
    throw new AppError("not_found", "404 Job Not Found");
  const { archive } = await findJobArtifacts({ db: opts.db, projectId: target.projectId, jobId: opts.jobId });
  if (!archive) throw new AppError("not_found", "404 Artifacts Not Found");
  return { path: archive.absolutePath, size: archive.size, filename: archive.filename };
}
