/**
 * "Run now" / "Unschedule" of delayed (`when: delayed`, status `scheduled`) jobs, for the play API
 * and the UI. The orchestration engine owns delayed jobs (core pipelines/scheduled-jobs.ts); this
 * adapter adds the rights check the controls share: developer+, and push/merge rights on a
 * protected branch, as for playing a manual job. A job that is not scheduled is "Unplayable".
 */
import {
  AppError,
  assertCanControl,
  canRunOnRef,
  isAppError,
  runScheduledJobNow,
  unscheduleJob,
} from "@minilab/core";
import { getDb } from "@minilab/db";

interface Opts {
  jobId: number;
  userId: number;
}

async function guarded(opts: Opts, fn: () => Promise<unknown>): Promise<void> {
  const db = getDb();
  const job = await db.job.findUnique({
    where: { id: opts.jobId },
    select: { projectId: true, pipeline: { select: { ref: true, tag: true } } },
  });
  if (!job) throw new AppError("not_found", "Job not found");
  const { level } = await assertCanControl(db, {
    userId: opts.userId,
    projectId: job.projectId,
    what: "Job",
  });
  if (!(await canRunOnRef(db, { projectId: job.projectId, ...job.pipeline, level })))
    throw new AppError("forbidden", "403 Forbidden");
  try {
    await fn();
  } catch (e) {
    if (isAppError(e) && e.code === "conflict")
      throw new AppError("invalid_input", "Unplayable Job", { unplayable: true });
    throw e;
  }
}

export async function runScheduledNow(opts: Opts): Promise<void> {
  await guarded(opts, () => runScheduledJobNow({ db: getDb(), jobId: opts.jobId }));
}

export async function unscheduleNow(opts: Opts): Promise<void> {
  await guarded(opts, () => unscheduleJob({ db: getDb(), jobId: opts.jobId }));
}
