import type { Db } from "@minilab/db";
import { jobSelect, pipelineSelect, type PipelineWithJobs } from "./types.ts";

/**
 * One pipeline of the project with its jobs (latest attempts only: retried ones are hidden, as in
 * GitLab's graph) in stage order; null if not in this project.
 */
export async function getPipelineWithJobs(opts: {
  db: Db;
  projectId: number;
  pipelineId: number;
}): Promise<PipelineWithJobs | null> {
  return opts.db.pipeline.findFirst({
    where: { id: opts.pipelineId, projectId: opts.projectId },
    select: {
      ...pipelineSelect,
      jobs: { where: { retried: false }, select: jobSelect, orderBy: [{ stageIdx: "asc" }, { id: "asc" }] },
    },
  });
}
