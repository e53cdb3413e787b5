/** Look-ups shared by the jobs and pipelines API routes: GitLab's 404s for ids outside the project. */
import {
  AppError,
  getJob,
  getPipelineWithJobs,
  type JobWithPipeline,
  type PipelineWithJobs,
} from "@minilab/core";
import { getDb, type JobStatus, type Project } from "@minilab/db";
import { apiId } from "./api-auth";

/** GitLab's status words, the same for jobs and pipelines. */
export const STATUS_WORDS = [
  "created",
  "waiting_for_resource",
  "preparing",
  "pending",
  "running",
  "success",
  "failed",
  "canceling",
  "canceled",
  "skipped",
  "manual",
  "scheduled",
] as const satisfies readonly JobStatus[];

/** GitLab's `scope` / `scope[]` job filter; an unknown status is a 400 naming the parameter. */
export function jobScopes(req: Request): JobStatus[] {
  const q = new URL(req.url).searchParams;
  const values = [...q.getAll("scope[]"), ...q.getAll("scope")].flatMap((v) => v.split(","));
  const bad = values.filter((v) => !(STATUS_WORDS as readonly string[]).includes(v));
  if (bad.length) throw new AppError("invalid_input", "scope does not have a valid value");
  return values as JobStatus[];
}

/** A job of `project` named by a URL segment, or `404 Job Not Found`. */
export async function projectJob(project: Pick<Project, "id">, rawId: string): Promise<JobWithPipeline> {
  const job = await getJob({ db: getDb(), projectId: project.id, jobId: apiId(rawId, "Job") });
  if (!job) throw new AppError("not_found", "404 Job Not Found");
  return job;
}

/** A pipeline of `project` with its jobs, or `404 Pipeline Not Found`. */
export async function projectPipeline(
  project: Pick<Project, "id">,
  rawId: string,
): Promise<PipelineWithJobs> {
  const pipeline = await getPipelineWithJobs({
    db: getDb(),
    projectId: project.id,
    pipelineId: apiId(rawId, "Pipeline"),
  });
  if (!pipeline) throw new AppError("not_found", "404 Pipeline Not Found");
  return pipeline;
}
