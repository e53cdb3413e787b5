/**
 * One domain event → one delivery row per hook of the project subscribed to it. Delivery ids are
 * derived from (event uuid, hook id), so a fan-out that is retried after a crash creates no second
 * delivery: `createMany … skipDuplicates` keeps the first.
 */
import { createHash } from "node:crypto";
import type { HookEvent } from "@minilab/contracts";
import type { Db, ProjectHook } from "@minilab/db";
import { isGitInputError, listPushCommits, repoDir } from "@minilab/git";
import { coreConfig } from "../config.ts";
import { isProtectedRef } from "../variables/index.ts";
import { HOOK_EVENT_NAMES, jobPayload, pipelinePayload, pushPayload, type HookKind } from "./payloads.ts";

const FLAG: Record<
  HookKind,
  keyof Pick<ProjectHook, "pushEvents" | "tagPushEvents" | "pipelineEvents" | "jobEvents">
> = {
  push_events: "pushEvents",
  tag_push_events: "tagPushEvents",
  pipeline_events: "pipelineEvents",
  job_events: "jobEvents",
};

/** A UUID-shaped id derived from the event and the hook. */
export function deliveryIdFor(eventUuid: string, hookId: number): string {
  const h = createHash("sha256").update(`${eventUuid}/${hookId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Whether a hook takes new events now (temporarily disabled hooks again once their pause is over). */
export function hookAcceptsEvents(
  h: Pick<ProjectHook, "alertStatus" | "disabledUntil">,
  now = new Date(),
): boolean {
  if (h.alertStatus === "executable") return true;
  return h.alertStatus === "temporarily_disabled" && !!h.disabledUntil && h.disabledUntil <= now;
}

/**
 * Creates the delivery rows; returns their ids, to be enqueued. `only` (test events) targets one hook
 * regardless of its subscriptions and alert status.
 */
export async function fanOutHookEvent(
  db: Db,
  event: HookEvent,
  only?: { onlyHookId: number; kind: HookKind },
): Promise<string[]> {
  let kind: HookKind;
  let push: Awaited<ReturnType<typeof loadPush>> | null = null;
  if (event.kind === "push") {
    push = await loadPush(db, event.pushEventId);
    if (!push) return [];
    kind = push.ref.startsWith("refs/tags/") ? "tag_push_events" : "push_events";
  } else kind = event.kind === "pipeline" ? "pipeline_events" : "job_events";
  if (only) kind = only.kind;

  const hooks = only
    ? await db.projectHook.findMany({ where: { id: only.onlyHookId } })
    : (await db.projectHook.findMany({ where: { projectId: event.projectId, [FLAG[kind]]: true } })).filter(
        (h) => hookAcceptsEvents(h),
      );
  if (hooks.length === 0) return [];
  const payload = await buildPayload(db, event, push);
  if (!payload) return [];
  const body = JSON.stringify(payload);
  const rows = hooks.map((h) => {
    const id = deliveryIdFor(event.uuid, h.id);
    return {
      id,
      hookId: h.id,
      event: HOOK_EVENT_NAMES[kind],
      eventUuid: event.uuid,
      idempotencyKey: id,
      requestHeaders: {},
      requestBody: body,
    };
  });
  await db.hookDelivery.createMany({ data: rows, skipDuplicates: true });
  return rows.map((r) => r.id);
}

async function loadPush(db: Db, id: number) {
  return db.pushEvent.findUnique({ where: { id }, include: { project: true, user: true } });
}

async function buildPayload(db: Db, event: HookEvent, push: Awaited<ReturnType<typeof loadPush>>) {
  if (event.kind === "push") {
    if (!push) return null;
    const dir = repoDir(coreConfig().reposDir, push.project.namespace, push.project.path);
    let listed: Awaited<ReturnType<typeof listPushCommits>> = { commits: [], total: 0 };
    try {
      listed = await listPushCommits(dir, push.oldSha, push.newSha);
    } catch (e) {
      if (!isGitInputError(e)) throw e;
    }
    const tag = push.ref.startsWith("refs/tags/");
    const short = push.ref.replace(/^refs\/(heads|tags)\//, "");
    return pushPayload({
      event: push,
      project: push.project,
      user: push.user,
      commits: listed.commits,
      totalCommits: listed.total,
      refProtected: await isProtectedRef({ db, projectId: push.projectId, ref: short, tag }),
    });
  }
  const pipeline = await db.pipeline.findUnique({
    where: { id: event.pipelineId },
    include: { project: true, user: true },
  });
  if (!pipeline) return null;
  if (event.kind === "pipeline") {
    const jobs = await db.job.findMany({
      where: { pipelineId: pipeline.id },
      include: { runner: true },
      orderBy: [{ stageIdx: "asc" }, { id: "asc" }],
    });
    return pipelinePayload({
      pipeline,
      status: event.status,
      jobs,
      project: pipeline.project,
      user: pipeline.user,
    });
  }
  const job = await db.job.findUnique({ where: { id: event.jobId }, include: { runner: true } });
  if (!job) return null;
  return jobPayload({ job, status: event.status, pipeline, project: pipeline.project, user: pipeline.user });
}
