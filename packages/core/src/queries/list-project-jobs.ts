import type { Db, JobStatus, Prisma } from "@minilab/db";
import { jobSelect, type JobWithPipeline, type Page } from "./types.ts";

export interface ListProjectJobsOptions {
  db: Db;
  projectId: number;
  /** Only jobs in one of these statuses (GitLab's `scope[]`); empty or absent = all. */
  statuses?: readonly JobStatus[] | undefined;
  /** Only jobs of this pipeline. */
  pipelineId?: number | undefined;
  /** Include attempts that were retried (GitLab's `include_retried`). @defaultValue true */
  includeRetried?: boolean | undefined;
  /** @defaultValue "desc": newest first; pipeline job lists use "stage" order. */
  order?: "desc" | "stage" | undefined;
  page: number;
  perPage: number;
}

/** A page of a project's jobs, each with a summary of its pipeline, plus the total count. */
export async function listProjectJobs(opts: ListProjectJobsOptions): Promise<Page<JobWithPipeline>> {
  const { db } = opts;
  const where: Prisma.JobWhereInput = {
    projectId: opts.projectId,
    ...(opts.pipelineId !== undefined ? { pipelineId: opts.pipelineId } : {}),
    ...(opts.statuses?.length ? { status: { in: [...opts.statuses] } } : {}),
    ...(opts.includeRetried === false ? { retried: false } : {}),
  };
  const orderBy: Prisma.JobOrderByWithRelationInput[] =
    opts.order === "stage" ? [{ stageIdx: "asc" }, { id: "asc" }] : [{ id: "desc" }];
  const page = Math.max(1, Math.floor(opts.page));
  const perPage = Math.max(1, Math.floor(opts.perPage));
  const [items, total] = await Promise.all([
    db.job.findMany({
      where,
      orderBy,
      skip: (page - 1) * perPage,
      take: perPage,
      select: {
        ...jobSelect,
        pipeline: { select: { id: true, iid: true, ref: true, sha: true, status: true, tag: true } },
      },
    }),
    db.job.count({ where }),
  ]);
  return { items, total, page, perPage };
}
