/**
 * "Why is this job not running?" for every job that waits: a machine-readable kind plus the sentence
 * the UI shows and the API returns (`pending_reason`, a minilab extension to GitLab's job JSON).
 *
 * - created: waiting for its needs (by name) or for earlier stages (by name);
 * - manual: waiting for someone to start it; scheduled: starts at `scheduled_at`;
 * - waiting_for_resource: the job holding its resource group;
 * - pending: no online runner can take it (its tags), or the matching runners are busy, with its
 *   position among pending jobs of the same tag set (oldest dispatch first, as the queue serves them).
 *
 * Read-only and approximate by nature (runner state moves under it); computed in a few queries for
 * any number of jobs.
 */
import { normalizeTags, ONLINE_WINDOW_MS } from "@minilab/contracts";
import type { Db, JobStatus } from "@minilab/db";
import { HOLDS_RESOURCE } from "../pipelines/advance-pipeline.ts";
import { readNeedsColumn } from "../pipelines/job-row-spec.ts";
import { dagUpstream, isDagJob, stageBlockers, type MachineJob } from "../pipelines/stage-machine.ts";
import { jobTags, tagMismatch } from "../runners/job-tags.ts";

export type PendingReasonKind =
  "needs" | "stage" | "manual" | "scheduled" | "resource_group" | "no_runner" | "runners_busy" | "queued";

export interface PendingReason {
  kind: PendingReasonKind;
  /** One sentence for people, e.g. "Waiting for needs: build, lint". */
  message: string;
  /** needs/stage: the jobs it waits for. */
  jobs?: string[];
  /** no_runner/runners_busy/queued: the job's runner tags. */
  tags?: string[];
  /** runners_busy/queued: 1-based position among pending jobs of the same tags. */
  position?: number;
  /** resource_group: the group and the job holding it (null: being handed over). */
  resourceGroup?: string;
  heldBy?: number | null;
  /** scheduled: when it starts. */
  scheduledAt?: Date;
}

const WAITING: readonly JobStatus[] = ["created", "manual", "scheduled", "waiting_for_resource", "pending"];

export async function pendingReason({ db, jobId }: { db: Db; jobId: number }): Promise<PendingReason | null> {
  return (await pendingReasons({ db, jobIds: [jobId] })).get(jobId) ?? null;
}

/** Reasons for the waiting jobs among `jobIds` (others are absent from the map). */
export async function pendingReasons({
  db,
  jobIds,
  now = new Date(),
}: {
  db: Db;
  jobIds: readonly number[];
  now?: Date;
}): Promise<Map<number, PendingReason>> {
  const out = new Map<number, PendingReason>();
  if (jobIds.length === 0) return out;
  const jobs = await db.job.findMany({
    where: { id: { in: [...jobIds] }, status: { in: [...WAITING] }, retried: false },
    select: {
      id: true,
      pipelineId: true,
      projectId: true,
      name: true,
      stageIdx: true,
      status: true,
      when: true,
      allowFailure: true,
      needs: true,
      resourceGroup: true,
      scheduledAt: true,
      queuedAt: true,
      spec: true,
    },
  });
  if (jobs.length === 0) return out;

  const created = jobs.filter((j) => j.status === "created");
  if (created.length > 0) {
    const siblings = await db.job.findMany({
      where: { pipelineId: { in: [...new Set(created.map((j) => j.pipelineId))] }, retried: false },
      select: {
        id: true,
        pipelineId: true,
        name: true,
        stageIdx: true,
        status: true,
        when: true,
        allowFailure: true,
        needs: true,
      },
    });
    const machine = (j: (typeof siblings)[number]): MachineJob & { pipelineId: number } => ({
      ...j,
      needs: readNeedsColumn(j.needs),
    });
    const all = siblings.map(machine);
    for (const job of created) {
      const inPipeline = all.filter((j) => j.pipelineId === job.pipelineId);
      const me = inPipeline.find((j) => j.id === job.id);
      if (!me) continue;
      if (isDagJob(me)) {
        const up = dagUpstream(me, new Map(inPipeline.map((j) => [j.name ?? "", j])));
        const waiting = "waiting" in up ? up.waiting : [];
        out.set(job.id, { kind: "needs", jobs: waiting, message: `Waiting for needs: ${list(waiting)}` });
      } else {
        const names = stageBlockers(me, inPipeline).map((j) => j.name ?? "");
        out.set(job.id, {
          kind: "stage",
          jobs: names,
          message: `Waiting for earlier stages to complete: ${list(names)}`,
        });
      }
    }
  }

  for (const job of jobs) {
    if (job.status === "manual")
      out.set(job.id, { kind: "manual", message: "Waiting for someone to start this manual job" });
    if (job.status === "scheduled")
      out.set(job.id, {
        kind: "scheduled",
        ...(job.scheduledAt ? { scheduledAt: job.scheduledAt } : {}),
        message: `Delayed: starts at ${job.scheduledAt?.toISOString() ?? "an unknown time"}`,
      });
  }

  for (const job of jobs.filter((j) => j.status === "waiting_for_resource")) {
    const group = job.resourceGroup ?? "";
    const holder = await db.job.findFirst({
      where: {
        projectId: job.projectId,
        resourceGroup: group,
        retried: false,
        status: { in: [...HOLDS_RESOURCE] },
      },
      select: { id: true, name: true },
    });
    out.set(job.id, {
      kind: "resource_group",
      resourceGroup: group,
      heldBy: holder?.id ?? null,
      message: holder
        ? `Waiting for resource group "${group}", held by job #${holder.id} (${holder.name})`
        : `Waiting for resource group "${group}" to be handed over`,
    });
  }

  const pending = jobs.filter((j) => j.status === "pending");
  if (pending.length > 0) await explainPending(db, pending, out, now);
  return out;
}

async function explainPending(
  db: Db,
  pending: { id: number; queuedAt: Date | null; spec: unknown }[],
  out: Map<number, PendingReason>,
  now: Date,
): Promise<void> {
  const runners = await db.runner.findMany({
    where: { active: true },
    select: { id: true, tags: true, runUntagged: true, contactedAt: true },
  });
  const online = runners.filter(
    (r) => r.contactedAt !== null && now.getTime() - r.contactedAt.getTime() < ONLINE_WINDOW_MS,
  );
  const busyRows = await db.job.groupBy({
    by: ["runnerId"],
    where: { status: { in: ["running", "canceling"] }, runnerId: { not: null } },
    _count: { _all: true },
  });
  const busy = new Set(busyRows.map((b) => b.runnerId));
  // The queue order: every pending job, oldest dispatch first, grouped by tag set.
  const queue = await db.$queryRaw<{ id: number; tags: unknown; planned_tags: unknown }[]>`
    SELECT id, spec->'tags' AS tags, spec->'planned'->'tags' AS planned_tags
    FROM jobs WHERE status = 'pending' ORDER BY queued_at ASC NULLS LAST, id ASC`;
  const positions = new Map<string, number>();
  const positionOf = new Map<number, number>();
  for (const q of queue) {
    const key = JSON.stringify(
      jobTags({ tags: Array.isArray(q.tags) ? q.tags : undefined, planned: { tags: q.planned_tags } }),
    );
    const n = (positions.get(key) ?? 0) + 1;
    positions.set(key, n);
    positionOf.set(q.id, n);
  }

  for (const job of pending) {
    const tags = normalizeTags(jobTags(job.spec));
    const label = tags.length > 0 ? `with tags [${tags.join(", ")}]` : "that runs untagged jobs";
    const matching = online.filter((r) => tagMismatch(tags, r) === null);
    const position = positionOf.get(job.id) ?? 1;
    if (matching.length === 0) {
      out.set(job.id, { kind: "no_runner", tags, message: `No online runner ${label}` });
    } else if (matching.every((r) => busy.has(r.id))) {
      out.set(job.id, {
        kind: "runners_busy",
        tags,
        position,
        message: `All ${matching.length} matching runner(s) are busy; position ${position} in the queue`,
      });
    } else {
      out.set(job.id, {
        kind: "queued",
        tags,
        position,
        message: `Waiting for a runner to pick it up; position ${position} in the queue`,
      });
    }
  }
}

const list = (names: readonly string[]): string => (names.length > 0 ? names.join(", ") : "none");
