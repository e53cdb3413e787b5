import type { Db } from "@minilab/db";

export interface JobRunnerView {
  id: number;
  description: string;
  executor: string | null;
}

/** The runner that ran (or runs) the job, for the job page's sidebar; null if none claimed it. */
export async function getJobRunner(opts: { db: Db; jobId: number }): Promise<JobRunnerView | null> {
  const job = await opts.db.job.findUnique({
    where: { id: opts.jobId },
    select: { runner: { select: { id: true, description: true, executor: true } } },
  });
  return job?.runner ?? null;
}
