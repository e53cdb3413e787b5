/**
 * A job's stored artifacts for the UI and API. Expired rows count as gone even before the expiry
 * loop has removed them, so nobody downloads past `expire_at`.
 */
import type { Db, JobArtifact } from "@minilab/db";
import { absoluteArtifactPath } from "./artifact-storage.ts";
import type { ArchiveEntry } from "./zip-read.ts";

export interface JobArtifacts {
  archive: (JobArtifact & { entries: ArchiveEntry[]; absolutePath: string }) | null;
  dotenv: JobArtifact | null;
}

export interface FindJobArtifactsOptions {
  db: Db;
  /** The job must belong to this project (callers checked read access to it). */
  projectId: number;
  jobId: number;
  now?: Date;
}

export async function findJobArtifacts(opts: FindJobArtifactsOptions): Promise<JobArtifacts> {
  const now = opts.now ?? new Date();
  const rows = await opts.db.jobArtifact.findMany({
    where: {
      jobId: opts.jobId,
      projectId: opts.projectId,
      OR: [{ expireAt: null }, { expireAt: { gt: now } }],
    },
  });
  const archive = rows.find((r) => r.fileType === "archive");
  return {
    archive: archive
      ? {
          ...archive,
          entries: Array.isArray(archive.files) ? (archive.files as unknown as ArchiveEntry[]) : [],
          absolutePath: absoluteArtifactPath(archive.storagePath),
        }
      : null,
    dotenv: rows.find((r) => r.fileType === "dotenv") ?? null,
  };
}
