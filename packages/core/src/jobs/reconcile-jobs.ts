/**
 * Repairs what crashes leave behind, so no job stays `pending` or `running` forever. Everything is
 * re-derived from Postgres (the truth):
 * - running, but the runner has been silent for `staleAfterMs` (`heartbeat_at`, else `started_at`)
 *   → failed `runner_system_failure` (runner host died, network partition, runner killed mid-job) —
 *   judged only once the web app itself has been up for that long (web-liveness.ts): while it was
 *   down no runner could report, and runners retry until it is back;
 * - running past its timeout plus {@link TIMEOUT_GRACE_MS} → failed `job_execution_timeout`. The runner
 *   enforces the timeout itself; this catches one that keeps heartbeating but never finishes;
 * - pending for over {@link PENDING_GRACE_MS} with no dispatch on the queue → dispatched again (Redis
 *   lost it, or the web app died between commit and enqueue);
 * - pending for over {@link STUCK_PENDING_MS} → failed `stuck_or_timeout_failure` (GitLab's rule);
 * - `scheduled` (delayed) jobs past their `scheduled_at` → moved on (their BullMQ timer was lost);
 * - resource groups with waiting jobs and no holder → handed to the oldest waiting job.
 *
 * Concurrency: safe to run in several processes at once. Each failure is its own transaction around a
 * compare-and-set that re-checks `status = 'running'` and the staleness/timeout condition (a heartbeat
 * landing after the candidate query saves the job), so a job is failed, logged and announced once.
 * Re-enqueueing is idempotent (BullMQ job ids derive from CI job ids). One job's error does not stop
 * the others; errors are collected and thrown together at the end.
 */
import type { Db, Prisma } from "@minilab/db";
import { getRoutedQueues } from "@minilab/queue";
import { advanceInTransaction, assignResourceGroup } from "../pipelines/advance-pipeline.ts";
import { noEffects, runEffects, type Effects } from "../pipelines/effects.ts";
import { promoteDueScheduledJobs } from "../pipelines/scheduled-jobs.ts";
import { jobTimeoutSeconds } from "../pipelines/job-row-spec.ts";
import { jobTags } from "../runners/job-tags.ts";
import { completeJob } from "./complete-job.ts";
import { readWebUpSince } from "./web-liveness.ts";

/** Extra time past a job's timeout before the server fails it, so the runner's own timeout wins. */
export const TIMEOUT_GRACE_MS = 60_000;
/** How long a pending job may lack a dispatch before it is re-enqueued (skips fresh enqueues). */
export const PENDING_GRACE_MS = 5_000;
/**
 * Runner silence after which a running job fails: three missed job heartbeats (the runner sends one
 * every 10 s), so with the loop's 10 s interval a killed runner's job ends within ~40 s.
 */
export const STALE_AFTER_MS = 30_000;
/** GitLab drops jobs pending for a day (`stuck_or_timeout_failure`). */
export const STUCK_PENDING_MS = 24 * 3600_000;

export const STALE_LOG_LINE = "\nERROR: the runner stopped reporting; job failed (runner_system_failure)\n";
const timeoutLogLine = (seconds: number): string =>
  `\nERROR: Job failed: execution took longer than ${seconds} seconds (job_execution_timeout)\n`;

export interface ReconcileJobsOptions {
  db: Db;
  /** The reconciler's clock, for tests. @defaultValue `new Date()` */
  now?: Date;
  /** Silence after which a running job's runner is presumed gone. @defaultValue {@link STALE_AFTER_MS} */
  staleAfterMs?: number;
  /** Time pending after which nobody is going to run a job (GitLab: a day). @defaultValue {@link STUCK_PENDING_MS} */
  stuckPendingMs?: number;
  /**
   * Since when the web app has been up without a gap (web-liveness.ts); no job is judged silent until
   * it has been up for `staleAfterMs`. Null: not gated. @defaultValue read from `web_liveness`
   */
  webUpSince?: Date | null;
}

export interface ReconcileJobsResult {
  /** Pending jobs that had no dispatch on the queue and got one. */
  requeued: number;
  /** Running jobs failed with `runner_system_failure`. */
  failedStale: number;
  /** Running jobs failed with `job_execution_timeout`. */
  timedOut: number;
  /** Due `scheduled` (delayed) jobs whose timer was lost, moved on. */
  promoted: number;
  /** Free resource groups handed to their next waiting job. */
  assigned: number;
  /** Jobs pending longer than `stuckPendingMs`, failed with `stuck_or_timeout_failure`. */
  stuck: number;
}

export async function reconcileJobs({
  db,
  now = new Date(),
  staleAfterMs = STALE_AFTER_MS,
  stuckPendingMs = STUCK_PENDING_MS,
  webUpSince,
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
  // Silence while the web app was down is not the runner's: wait until it has been up a whole window.
  const upSince = webUpSince === undefined ? await readWebUpSince(db, now) : webUpSince;
  const judgeSilence = upSince === null || upSince <= staleCutoff;
  const silent: Prisma.JobWhereInput = {
    OR: [
      { heartbeatAt: { lt: staleCutoff } },
      { heartbeatAt: null, startedAt: { lt: staleCutoff } },
      { heartbeatAt: null, startedAt: null, updatedAt: { lt: staleCutoff } },
    ],
  };
  // Canceling jobs whose runner went silent end canceled (completeJob turns canceling into canceled).
  const stale = judgeSilence
    ? await db.job.findMany({
        where: { status: { in: ["running", "canceling"] }, ...silent },
        select: { id: true },
      })
    : [];
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
    select: { id: true, startedAt: true, spec: true, timeout: true },
  });
  let timedOut = 0;
  for (const job of running) {
    const seconds = job.timeout ?? jobTimeoutSeconds(job.spec);
    const deadline = new Date(now.getTime() - seconds * 1000 - TIMEOUT_GRACE_MS);
    if (!job.startedAt || job.startedAt >= deadline) continue;
    timedOut += await fail({
      jobId: job.id,
      where: { startedAt: { lt: deadline } },
      failureReason: "job_execution_timeout",
      finalLog: timeoutLogLine(seconds),
    });
  }

  const stuckCutoff = new Date(now.getTime() - stuckPendingMs);
  const stuckRows = await db.job.findMany({
    where: { status: "pending", queuedAt: { lt: stuckCutoff } },
    select: { id: true },
  });
  let stuck = 0;
  for (const { id } of stuckRows) {
    try {
      const effects = await failStuckPendingJob(db, id, stuckCutoff);
      if (!effects) continue;
      stuck++;
      await runEffects(effects).catch((e: unknown) => errors.push(e));
    } catch (e) {
      errors.push(e);
    }
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

  let promoted = 0;
  try {
    promoted = await promoteDueScheduledJobs({ db, now });
  } catch (e) {
    errors.push(e);
  }
  const assigned = await assignFreeResourceGroups(db).catch((e: unknown) => {
    errors.push(e);
    return 0;
  });

  if (errors.length > 0) throw new AggregateError(errors, `reconcileJobs: ${errors.length} job(s) failed`);
  return { requeued, failedStale, timedOut, promoted, assigned, stuck };
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

/**
 * Resource groups with waiting jobs and no holder (the hand-over normally happens when the holder's
 * pipeline advances; this covers a crash between a commit and its effects, or a holder deleted).
 */
async function assignFreeResourceGroups(db: Db): Promise<number> {
  const groups = await db.job.findMany({
    where: { status: "waiting_for_resource", retried: false, resourceGroup: { not: null } },
    select: { projectId: true, resourceGroup: true },
    distinct: ["projectId", "resourceGroup"],
  });
  let assigned = 0;
  for (const g of groups) {
    if (!g.resourceGroup) continue;
    const group = g.resourceGroup;
    const effects = noEffects();
    const id = await db.$transaction((tx) => assignResourceGroup(tx, g.projectId, group, effects));
    await runEffects(effects);
    if (id !== null) assigned++;
  }
  return assigned;
}

/** pending → failed (`stuck_or_timeout_failure`) if still pending since before the cutoff. */
async function failStuckPendingJob(db: Db, jobId: number, cutoff: Date): Promise<Effects | null> {
  const effects = noEffects();
  const done = await db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: jobId, status: "pending", queuedAt: { lt: cutoff } },
      data: { status: "failed", failureReason: "stuck_or_timeout_failure", finishedAt: new Date() },
    });
    if (count !== 1) return false;
    const job = await tx.job.findUniqueOrThrow({
      where: { id: jobId },
      select: { pipelineId: true, projectId: true },
    });
    effects.events.push({ kind: "job", id: jobId, ...job, status: "failed" });
    await advanceInTransaction(tx, job.pipelineId, effects);
    return true;
  });
  return done ? effects : null;
}
