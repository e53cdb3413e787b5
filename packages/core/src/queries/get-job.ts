import type { Db } from "@minilab/db";
import { jobSelect, type JobWithPipeline } from "./types.ts";

/** One job of the project with a summary of its pipeline; null if not in this project. */
export async function getJob(opts: {
  db: Db;
  projectId: number;
  jobId: number;
}): Promise<JobWithPipeline | null> {
  return opts.db.job.findFirst({
    where: { id: opts.jobId, projectId: opts.projectId },
    select: {
      ...jobSelect,
      pipeline: { select: { id: true, iid: true, ref: true, sha: true, status: true, tag: true } },
    },
  });
}
