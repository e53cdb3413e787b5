/**
 * Shared pieces of the job/pipeline control routes (`/projects/:id/jobs/:job_id/{cancel,retry,play}`,
 * `/projects/:id/pipelines/:pipeline_id/{cancel,retry,variables}`, `POST /projects/:id/pipeline`):
 * the GitLab-shaped bodies they answer with and GitLab's `bad_request!` body.
 */
import { AppError, getJob, getPipelineWithJobs, toApiJob, toApiPipeline } from "@minilab/core";
import { getDb, type Project } from "@minilab/db";

export async function apiJobBody(project: Project, jobId: number) {
  const job = await getJob({ db: getDb(), projectId: project.id, jobId });
  if (!job) throw new AppError("not_found", "404 Job Not Found");
  return toApiJob(job, project);
}

export async function apiPipelineBody(project: Project, pipelineId: number) {
  const pipeline = await getPipelineWithJobs({ db: getDb(), projectId: project.id, pipelineId });
  if (!pipeline) throw new AppError("not_found", "404 Pipeline Not Found");
  return toApiPipeline(pipeline, project);
}

/** A pipeline of the project, or GitLab's 404 (checked before any change). */
export async function assertPipelineInProject(project: Project, pipelineId: number): Promise<void> {
  const found = await getDb().pipeline.findFirst({
    where: { id: pipelineId, projectId: project.id },
    select: { id: true },
  });
  if (!found) throw new AppError("not_found", "404 Pipeline Not Found");
}

/** A job of the project, or GitLab's 404; returns its status. */
export async function jobStatusInProject(project: Project, jobId: number): Promise<string> {
  const found = await getDb().job.findFirst({
    where: { id: jobId, projectId: project.id },
    select: { status: true },
  });
  if (!found) throw new AppError("not_found", "404 Job Not Found");
  return found.status;
}

/** `bad_request!(reason)` in GitLab's API: `{"message": "400 Bad request - <reason>"}`. */
export const badRequest = (reason: string): Response =>
  Response.json({ message: `400 Bad request - ${reason}` }, { status: 400 });
