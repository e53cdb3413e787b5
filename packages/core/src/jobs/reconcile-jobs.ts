/**
 * Repairs what crashes leave behind, so no job stays `pending` or `running` forever. Everything is
 * re-derived from Postgres (the truth):
 * - running, but the runner has been silent for `staleAfterMs` (`heartbeat_at`, else `started_at`)
 *   → failed `runner_system_failure` (runner host died, network partition, runner killed mid-job);
 * - running past its timeout plus {@link TIMEOUT_GRACE_MS} → failed `job_execution_timeout`. The runner
 *   enforces the timeout itself; this catches one that keeps heartbeating but never finishes;
 * - pending for over {@link PENDING_GRACE_MS} with no dispatch on the queue → dispatched again (Redis
 *   lost it, or the web app died between commit and enqueue).
 *
 * Concurrency: safe to run in several processes at once. Each failure is its own transaction around a
 * compare-and-set that re-checks `status = 'running'` and the staleness/timeout condition (a heartbeat
 * landing after the candidate query saves the job), so a job is failed, logged and announced once.
 * Re-enqueueing is idempotent (BullMQ job ids derive from CI job ids). One job's error does not stop
 * the others; errors are collected and thrown together at the end.
 */
import type { Db, Prisma } from "@minilab/db";
import { getRoutedQueues } from "@minilab/queue";
import { noEffects, runEffects, type Effects } from "../pipelines/effects.ts";
import { jobTimeoutSeconds } from "../pipelines/job-row-spec.ts";
import { jobTags } from "../runners/job-tags.ts";
import { completeJob } from "./complete-job.ts";

/** Extra time past a job's timeout before the server fails it, so the runner's own timeout wins. */
export const TIMEOUT_GRACE_MS = 60_000;
/** How long a pending job may lack a dispatch before it is re-enqueued (skips fresh enqueues). */
export const PENDING_GRACE_MS = 5_000;

export const STALE_LOG_LINE = "\nERROR: the runner stopped reporting; job failed (runner_system_failure)\n";
const timeoutLogLine = (seconds: number): string =>
  `\nERROR: Job failed: execution took longer than ${seconds} seconds (job_execution_timeout)\n`;

export interface ReconcileJobsOptions {
  db: Db;
  /** The reconciler's clock, for tests. @defaultValue `new Date()` */
  now?: Date;
  /** Silence after which a running job's runner is presumed gone. @defaultValue 60_000 */
  staleAfterMs?: number;
}

export interface ReconcileJobsResult {
  /** Pending jobs that had no dispatch on the queue and got one. */
  requeued: number;
  /** Running jobs failed with `runner_system_failure`. */
  failedStale: number;
  /** Running jobs failed with `job_execution_timeout`. */
  timedOut: number;
}

export async function reconcileJobs({
  db,
  now = new Date(),
  staleAfterMs = 60_000,
}: ReconcileJobsOptions): Promise<ReconcileJobsResult> {
  const errors: unknown[] = [];
  // Counts a job once its failure committed, even if announcing it afterwards fails.
  const fail = async (o: FailRunningJob): Promise<number> => {
    let effects: Effects | null;
    try {
      effects = await failRunningJob(db, o);
    } catch (e) {
      errors.push(e);
      return 0;
    }
    if (!effects) return 0;
    await runEffects(effects).catch((e: unknown) => errors.push(e));
    return 1;
  };

  // Stale: last sign of life before the cutoff. Pre-heartbeat rows fall back to started_at, and a
  // running row with neither (never written by claim) to updated_at, so nothing escapes.
  const staleCutoff = new Date(now.getTime() - staleAfterMs);
  const silent: Prisma.JobWhereInput = {
    OR: [
      { heartbeatAt: { lt: staleCutoff } },
      { heartbeatAt: null, startedAt: { lt: staleCutoff } },
      { heartbeatAt: null, startedAt: null, updatedAt: { lt: staleCutoff } },
    ],
  };
  const stale = await db.job.findMany({ where: { status: "running", ...silent }, select: { id: true } });
  let failedStale = 0;
  for (const { id } of stale) {
    failedStale += await fail({
      jobId: id,
      where: silent,
      failureReason: "runner_system_failure",
      finalLog: STALE_LOG_LINE,
    });
  }

  // Timeouts differ per job, so candidates are filtered here and the CAS re-checks this job's deadline.
  const running = await db.job.findMany({
    where: { status: "running", startedAt: { lt: new Date(now.getTime() - TIMEOUT_GRACE_MS) } },
    select: { id: true, startedAt: true, spec: true },
  });
  let timedOut = 0;
  for (const job of running) {
    const seconds = jobTimeoutSeconds(job.spec);
    const deadline = new Date(now.getTime() - seconds * 1000 - TIMEOUT_GRACE_MS);
    if (!job.startedAt || job.startedAt >= deadline) continue;
    timedOut += await fail({
      jobId: job.id,
      where: { startedAt: { lt: deadline } },
      failureReason: "job_execution_timeout",
      finalLog: timeoutLogLine(seconds),
    });
  }

  const pendingCutoff = new Date(now.getTime() - PENDING_GRACE_MS);
  const pending = await db.job.findMany({
    where: {
      status: "pending",
      OR: [{ queuedAt: { lt: pendingCutoff } }, { queuedAt: null, updatedAt: { lt: pendingCutoff } }],
    },
    select: { id: true, spec: true },
    orderBy: { id: "asc" },
  });
  let requeued = 0;
  if (pending.length > 0) {
    const queues = getRoutedQueues();
    const missing = await queues.missing(pending.map((j) => ({ jobId: j.id, tags: jobTags(j.spec) })));
    await queues.enqueue(missing);
    requeued = missing.length;
  }

  if (errors.length > 0) throw new AggregateError(errors, `reconcileJobs: ${errors.length} job(s) failed`);
  return { requeued, failedStale, timedOut };
}

interface FailRunningJob {
  jobId: number;
  where: Prisma.JobWhereInput;
  failureReason: string;
  finalLog: string;
}

/**
 * Fails one running job if it still matches `where`; returns the effects to run after commit, or null
 * when another process (or the runner) got there first. Should enqueueing the dispatches of jobs the
 * advance made pending fail, the pending sweep of a later run recovers them.
 */
async function failRunningJob(db: Db, o: FailRunningJob): Promise<Effects | null> {
  const effects = noEffects();
  const failed = await db.$transaction((tx) =>
    completeJob(tx, {
      jobId: o.jobId,
      state: "failed",
      where: o.where,
      failureReason: o.failureReason,
      finalLog: Buffer.from(o.finalLog),
      effects,
    }),
  );
  return failed ? effects : null;
}
