/**
 * Loads a job's artifacts for the UI routes under `/:ns/:project/-/jobs/:id/artifacts/…`, with the
 * job-log permission (read_build): whoever may not read the job gets the same 404 as for a job that
 * does not exist.
 */
import { canReadBuilds, findJobArtifacts, type JobArtifacts } from "@minilab/core";
import { getDb, type Project } from "@minilab/db";
import { findReadableProject, parseId } from "./project";

export async function loadJobArtifacts(
  namespace: string,
  path: string,
  id: string,
): Promise<{ project: Project; jobId: number; artifacts: JobArtifacts } | null> {
  const jobId = parseId(id);
  const { project, user, level } = await findReadableProject(namespace, path);
  if (!project || jobId === null || !canReadBuilds(user, project, level)) return null;
  const artifacts = await findJobArtifacts({ db: getDb(), projectId: project.id, jobId });
  return { project, jobId, artifacts };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
