/**
 * "Send test event" and "Redeliver": both create a delivery row and send it once, right away, so the
 * user sees the result (as GitLab's test and resend buttons). Test deliveries do not count towards
 * disabling a failing hook; a successful one re-enables it.
 */
import { randomUUID } from "node:crypto";
import type { HookEvent } from "@minilab/contracts";
import type { Db, Project, User } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertManager } from "../projects/assert-manager.ts";
import { deliverHook, type DeliveryOutcome } from "./deliver.ts";
import { fanOutHookEvent } from "./fan-out.ts";
import { findHook } from "./manage-hooks.ts";
import { HOOK_EVENT_NAMES, type HookKind } from "./payloads.ts";

export const HOOK_TEST_TRIGGERS = Object.keys(HOOK_EVENT_NAMES) as HookKind[];

interface Base {
  db: Db;
  actor: User | null;
  project: Project;
  id: number;
}

export async function testHook({
  db,
  actor,
  project,
  id,
  trigger,
}: Base & { trigger: string }): Promise<DeliveryOutcome> {
  await assertManager(db, actor, project);
  const hook = await findHook(db, project, id);
  if (!HOOK_TEST_TRIGGERS.includes(trigger as HookKind))
    throw new AppError(
      "invalid_input",
      `trigger does not have a valid value (one of ${HOOK_TEST_TRIGGERS.join(", ")})`,
    );
  const event = await sampleEvent(db, project, trigger as HookKind);
  // Build the payload as a real event would, into a delivery of this hook only.
  const payloadRows = await withOnlyHook(db, hook.id, trigger as HookKind, event);
  const deliveryId = payloadRows[0];
  if (!deliveryId) throw new AppError("invalid_input", "Could not build a test payload");
  await db.hookDelivery.update({ where: { id: deliveryId }, data: { test: true } });
  return deliverHook({ db, deliveryId, final: true });
}

/** A copy of a logged delivery, sent again now (same event UUID and Idempotency-Key). */
export async function redeliverHook({
  db,
  actor,
  project,
  id,
  deliveryId,
}: Base & { deliveryId: string }): Promise<DeliveryOutcome> {
  await assertManager(db, actor, project);
  await findHook(db, project, id);
  const d = await db.hookDelivery.findFirst({ where: { id: deliveryId, hookId: id } });
  if (!d) throw new AppError("not_found", "404 Hook Log Not Found");
  const copy = await db.hookDelivery.create({
    data: {
      id: randomUUID(),
      hookId: id,
      event: d.event,
      eventUuid: d.eventUuid,
      idempotencyKey: d.idempotencyKey,
      test: d.test,
      requestHeaders: {},
      requestBody: d.requestBody,
    },
  });
  return deliverHook({ db, deliveryId: copy.id, final: true });
}

async function sampleEvent(db: Db, project: Project, kind: HookKind): Promise<HookEvent> {
  const uuid = randomUUID();
  if (kind === "push_events" || kind === "tag_push_events") {
    const tag = kind === "tag_push_events";
    const push = await db.pushEvent.findFirst({
      where: {
        projectId: project.id,
        ref: { startsWith: tag ? "refs/tags/" : "refs/heads/" },
        newSha: { not: { startsWith: "0000000" } },
      },
      orderBy: { id: "desc" },
    });
    if (!push)
      throw new AppError(
        "invalid_input",
        tag ? "Ensure the project has tags." : "Ensure the project has at least one commit.",
      );
    return { kind: "push", uuid, projectId: project.id, pushEventId: push.id };
  }
  if (kind === "pipeline_events") {
    const p = await db.pipeline.findFirst({ where: { projectId: project.id }, orderBy: { id: "desc" } });
    if (!p) throw new AppError("invalid_input", "Ensure the project has CI pipelines.");
    return { kind: "pipeline", uuid, projectId: project.id, pipelineId: p.id, status: p.status };
  }
  const j = await db.job.findFirst({ where: { projectId: project.id }, orderBy: { id: "desc" } });
  if (!j) throw new AppError("invalid_input", "Ensure the project has CI jobs.");
  return {
    kind: "job",
    uuid,
    projectId: project.id,
    pipelineId: j.pipelineId,
    jobId: j.id,
    status: j.status,
  };
}

/** fanOutHookEvent restricted to one hook, whatever its subscriptions and alert status. */
async function withOnlyHook(db: Db, hookId: number, kind: HookKind, event: HookEvent): Promise<string[]> {
  return fanOutHookEvent(db, event, { onlyHookId: hookId, kind });
}
