/**
 * Moves a pipeline forward after any job state change: decides the `created` jobs whose stage or
 * needs are now complete (see stage-machine.ts), hands free resource groups to their next waiting
 * job, and derives the pipeline status (and "passed with warnings").
 *
 * Concurrency: runs under `SELECT … FOR UPDATE` on the pipeline row, so advances of one pipeline are
 * serialised and each sees every job change committed before it. Job transitions are compare-and-set
 * (`WHERE status = 'created'`, `RETURNING` the rows that changed), so a concurrent cancel of a created
 * job wins cleanly. Retried jobs are invisible here: only the latest attempt of a job counts.
 * Idempotent: advancing an up-to-date pipeline changes nothing.
 *
 * Resource groups: at most one job per (project, group) is pending/preparing/running/canceling. The
 * hand-over takes a transaction-scoped advisory lock on the group, then picks the oldest
 * `waiting_for_resource` job with `FOR UPDATE SKIP LOCKED` — a row some other transaction is changing
 * (e.g. canceling) is skipped rather than waited for, so two pipelines handing over to each other
 * cannot deadlock. The pipeline of a job promoted in another pipeline keeps its (active) status
 * until its next advance (the claim advances it).
 *
 * Incremental: most advances (a job of a wide stage finished while its siblings still run) can move
 * no job. One `GROUP BY` over the pipeline's jobs (stage, status, allow_failure, DAG or not) says
 * whether a stage job could move ({@link stageJobsReady}) and gives the pipeline status; DAG jobs
 * still `created` are checked against the statuses of the jobs they need only. Only when some job
 * can move are all the jobs loaded and {@link nextTransitions} applied — the same decision as
 * before, so the fast path changes cost, never outcome. This still runs under the pipeline lock:
 * the last of several concurrent finishes of a stage is the one that sees them all committed.
 */
import { parseDuration } from "@minilab/pipeline";
import type { Db, JobStatus, Prisma } from "@minilab/db";
import { jobTags } from "../runners/job-tags.ts";
import { noEffects, runEffects, type Effects } from "./effects.ts";
import { plannedOf, readNeedsColumn } from "./job-row-spec.ts";
import {
  dagUpstream,
  nextTransitions,
  pipelineStatus,
  pipelineWarnings,
  stageJobsReady,
  TERMINAL_PIPELINE,
  type JobGroup,
  type MachineJob,
  type StatusOf,
  type TransitionTarget,
} from "./stage-machine.ts";

export type Tx = Prisma.TransactionClient;

export interface AdvancePipelineOptions {
  db: Db;
  pipelineId: number;
}

/** Statuses in which a job holds its resource group. */
export const HOLDS_RESOURCE: readonly JobStatus[] = ["pending", "preparing", "running", "canceling"];

export async function advancePipeline({ db, pipelineId }: AdvancePipelineOptions): Promise<void> {
  const effects = await db.$transaction((tx) => advanceInTransaction(tx, pipelineId));
  await runEffects(effects);
}

/**
 * The advance after a job change that committed on its own (a runner's successful finish): most such
 * changes — one job of a wide stage succeeding while its siblings still run — move nothing, and
 * taking the pipeline lock for them serialised every finish of a pipeline behind the one before.
 *
 * So a check comes first, under `FOR SHARE` on the pipeline row: checks of concurrent finishes run
 * side by side, while a locked advance ({@link advanceInTransaction}, `FOR UPDATE`) excludes them.
 * Its count runs in a statement after the share lock is granted, so it sees every job change
 * committed before it and the result of any locked advance that was running. Only when some job can
 * move, the pipeline status would change, or the pipeline uses resource groups, does the locked
 * advance follow (in a transaction of its own: two share holders never upgrade, so never deadlock).
 *
 * Why no wake-up is lost: every job change runs its check (or a locked advance) after it committed.
 * Of two concurrent last finishers, the later check sees both jobs done. A locked advance that missed
 * a change (its snapshot predates it) committed before that change's check could take its share lock,
 * so that check sees the advance's result and the change together.
 */
export async function advanceAfterCommit(db: Db, pipelineId: number, effects: Effects): Promise<void> {
  const settled = await db.$transaction(async (tx) => {
    const [pipeline] = await tx.$queryRaw<LockedPipeline[]>`
      SELECT id, project_id AS "projectId", status::text AS status, warnings,
             started_at AS "startedAt", finished_at AS "finishedAt",
             EXISTS (SELECT 1 FROM project_hooks h
                     WHERE h.project_id = pipelines.project_id AND (h.job_events OR h.pipeline_events)) AS hooks
      FROM pipelines WHERE id = ${pipelineId} FOR SHARE`;
    if (!pipeline) return true;
    if (!pipeline.hooks) (effects.hooklessProjects ??= new Set()).add(pipeline.projectId);
    const groups = await jobGroups(tx, pipelineId);
    if (groups.some((g) => g.grouped)) return false;
    if (stageJobsReady(groups) || (await dagJobsReady(tx, pipelineId, groups))) return false;
    const status = pipelineStatus(groups);
    return status === pipeline.status && pipelineWarnings(groups, status) === pipeline.warnings;
  });
  if (!settled) await db.$transaction((tx) => advanceInTransaction(tx, pipelineId, effects));
}

/** The transactional part, for use-cases that advance inside their own transaction. */
export async function advanceInTransaction(
  tx: Tx,
  pipelineId: number,
  effects: Effects = noEffects(),
): Promise<Effects> {
  const locked = await tx.$queryRaw<LockedPipeline[]>`
    SELECT id, project_id AS "projectId", status::text AS status, warnings,
           started_at AS "startedAt", finished_at AS "finishedAt",
           EXISTS (SELECT 1 FROM project_hooks h
                   WHERE h.project_id = pipelines.project_id AND (h.job_events OR h.pipeline_events)) AS hooks
    FROM pipelines WHERE id = ${pipelineId} FOR UPDATE`;
  const pipeline = locked[0];
  if (!pipeline) return effects;
  // Every event of this change is of the pipeline's project (resource groups are per project).
  if (!pipeline.hooks) (effects.hooklessProjects ??= new Set()).add(pipeline.projectId);
  const now = new Date();

  let groups = await jobGroups(tx, pipelineId);
  // Status inputs: the jobs themselves once loaded (full path), else the aggregate rows.
  let kinds: readonly StatusOf[] = groups;
  let jobs: MachineJob[] | undefined;
  if (stageJobsReady(groups) || (await dagJobsReady(tx, pipelineId, groups))) {
    jobs = await loadJobs(tx, pipelineId);
    await applyTransitions(tx, pipeline, jobs, now, effects);
    kinds = jobs;
  }

  if (groups.some((g) => g.grouped)) {
    const names = jobs
      ? new Set(jobs.flatMap((j) => (j.resourceGroup ? [j.resourceGroup] : [])))
      : await resourceGroupsOf(tx, pipelineId);
    let promotedHere = false;
    for (const group of names) {
      const promoted = await assignResourceGroup(tx, pipeline.projectId, group, effects);
      const mine = promoted === null ? undefined : jobs?.find((j) => j.id === promoted);
      if (mine) mine.status = "pending";
      else if (promoted !== null && !jobs) promotedHere = true;
    }
    // A job promoted from the aggregate path may be this pipeline's: count again (it is rare).
    if (promotedHere) kinds = groups = await jobGroups(tx, pipelineId);
  }

  const status = pipelineStatus(kinds);
  const warnings = pipelineWarnings(kinds, status);
  if (status === pipeline.status && warnings === pipeline.warnings) return effects;
  const terminal = TERMINAL_PIPELINE.has(status);
  await tx.pipeline.update({
    where: { id: pipelineId },
    data: {
      status,
      warnings,
      ...(status === "running" && !pipeline.startedAt ? { startedAt: now } : {}),
      finishedAt: terminal ? (pipeline.finishedAt ?? now) : null,
    },
  });
  if (status !== pipeline.status)
    effects.events.push({
      kind: "pipeline",
      id: pipelineId,
      pipelineId,
      projectId: pipeline.projectId,
      status,
    });
  return effects;
}

interface LockedPipeline {
  id: number;
  projectId: number;
  status: string;
  warnings: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
  hooks: boolean;
}

/** The pipeline's latest attempts, counted by what the stage rules and the status look at. */
async function jobGroups(tx: Tx, pipelineId: number): Promise<(JobGroup & { grouped: boolean })[]> {
  return tx.$queryRaw<(JobGroup & { grouped: boolean })[]>`
    SELECT stage_idx AS "stageIdx", status::text AS status, allow_failure AS "allowFailure",
           coalesce(jsonb_typeof(needs) = 'array', false) AS dag,
           resource_group IS NOT NULL AS grouped, count(*)::int AS count
    FROM jobs WHERE pipeline_id = ${pipelineId} AND NOT retried
    GROUP BY 1, 2, 3, 4, 5`;
}

/**
 * Whether some `created` DAG job has every need finished (so {@link nextTransitions} would decide
 * it): reads those jobs and the jobs they name, not the whole pipeline.
 */
async function dagJobsReady(tx: Tx, pipelineId: number, groups: readonly JobGroup[]): Promise<boolean> {
  if (!groups.some((g) => g.dag && g.status === "created")) return false;
  const waiting = await tx.$queryRaw<{ id: number; needs: unknown }[]>`
    SELECT id, needs FROM jobs
    WHERE pipeline_id = ${pipelineId} AND NOT retried AND status = 'created' AND jsonb_typeof(needs) = 'array'`;
  const dag = waiting.map((w) => ({ id: w.id, needs: readNeedsColumn(w.needs) ?? [] }));
  const names = [...new Set(dag.flatMap((d) => d.needs.map((n) => n.name)))];
  const needed = await tx.job.findMany({
    where: { pipelineId, retried: false, name: { in: names } },
    select: { id: true, name: true, stageIdx: true, status: true, when: true, allowFailure: true },
    orderBy: { id: "asc" },
  });
  const byName = new Map<string, MachineJob>(needed.map((n) => [n.name, n]));
  return dag.some(
    (d) =>
      "upstream" in
      dagUpstream(
        { id: d.id, stageIdx: 0, status: "created", when: "", allowFailure: false, needs: d.needs },
        byName,
      ),
  );
}

async function resourceGroupsOf(tx: Tx, pipelineId: number): Promise<Set<string>> {
  const rows = await tx.job.findMany({
    where: { pipelineId, retried: false, resourceGroup: { not: null } },
    select: { resourceGroup: true },
    distinct: ["resourceGroup"],
  });
  return new Set(rows.flatMap((r) => (r.resourceGroup ? [r.resourceGroup] : [])));
}

async function loadJobs(tx: Tx, pipelineId: number): Promise<MachineJob[]> {
  const rows = await tx.job.findMany({
    where: { pipelineId, retried: false },
    select: {
      id: true,
      name: true,
      stageIdx: true,
      status: true,
      when: true,
      allowFailure: true,
      needs: true,
      resourceGroup: true,
    },
    orderBy: [{ stageIdx: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({ ...r, needs: readNeedsColumn(r.needs) }));
}

/**
 * Applies {@link nextTransitions} with bulk compare-and-set updates; `jobs` is updated to the new
 * statuses (for the pipeline status) and the dispatches, timers and events are added to `effects`.
 */
async function applyTransitions(
  tx: Tx,
  pipeline: { id: number; projectId: number },
  jobs: MachineJob[],
  now: Date,
  effects: Effects,
): Promise<void> {
  const transitions = nextTransitions(jobs);
  if (transitions.length === 0) return;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const ids = (to: TransitionTarget) => transitions.filter((t) => t.to === to).map((t) => t.id);
  const changed = new Map<number, TransitionTarget>();
  const bulk = async (
    to: Exclude<TransitionTarget, "scheduled">,
    data: Prisma.JobUpdateManyMutationInput,
  ) => {
    const want = ids(to);
    if (want.length === 0) return;
    const done = await tx.job.updateManyAndReturn({
      where: { id: { in: want }, status: "created" },
      data: { status: to, ...data },
      select: { id: true },
    });
    for (const { id } of done) changed.set(id, to);
  };
  await bulk("pending", { queuedAt: now });
  await bulk("skipped", { finishedAt: now });
  await bulk("manual", {});
  await bulk("waiting_for_resource", {});
  const toSchedule = ids("scheduled");
  const specs = await tx.job.findMany({
    where: { id: { in: [...ids("pending"), ...toSchedule] } },
    select: { id: true, spec: true },
  });
  const specOf = new Map(specs.map((s) => [s.id, s.spec]));
  for (const id of toSchedule) {
    const seconds = parseDuration(plannedOf(specOf.get(id)).startIn ?? null) ?? 0;
    const at = new Date(now.getTime() + seconds * 1000);
    const { count } = await tx.job.updateMany({
      where: { id, status: "created" },
      data: { status: "scheduled", scheduledAt: at },
    });
    if (count === 0) continue;
    changed.set(id, "scheduled");
    (effects.schedule ??= []).push({ jobId: id, at });
  }
  for (const t of transitions) {
    const to = changed.get(t.id);
    const job = byId.get(t.id);
    if (!to || !job) continue;
    job.status = to;
    if (to === "pending") {
      effects.enqueue.push(t.id);
      (effects.enqueueTags ??= new Map()).set(t.id, jobTags(specOf.get(t.id)));
    }
    effects.events.push({
      kind: "job",
      id: t.id,
      pipelineId: pipeline.id,
      projectId: pipeline.projectId,
      status: to,
    });
  }
}

/** The advisory-lock key of one resource group (hashtext collisions only serialise more). */
const groupKey = (projectId: number, group: string): string => `minilab:resource_group:${projectId}:${group}`;

/**
 * If nobody holds the group, moves its oldest waiting job to pending (and onto the queue). Returns
 * the promoted job's id, or null.
 */
export async function assignResourceGroup(
  tx: Tx,
  projectId: number,
  group: string,
  effects: Effects,
): Promise<number | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${groupKey(projectId, group)}))`;
  const holder = await tx.job.findFirst({
    where: { projectId, resourceGroup: group, retried: false, status: { in: [...HOLDS_RESOURCE] } },
    select: { id: true },
  });
  if (holder) return null;
  const next = await tx.$queryRaw<{ id: number; pipeline_id: number; spec: unknown }[]>`
    SELECT id, pipeline_id, spec FROM jobs
    WHERE project_id = ${projectId} AND resource_group = ${group}
      AND status = 'waiting_for_resource' AND NOT retried
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`;
  const job = next[0];
  if (!job) return null;
  const { count } = await tx.job.updateMany({
    where: { id: job.id, status: "waiting_for_resource" },
    data: { status: "pending", queuedAt: new Date() },
  });
  if (count !== 1) return null;
  effects.enqueue.push(job.id);
  (effects.enqueueTags ??= new Map()).set(job.id, jobTags(job.spec));
  effects.events.push({
    kind: "job",
    id: job.id,
    pipelineId: job.pipeline_id,
    projectId,
    status: "pending",
  });
  return job.id;
}
