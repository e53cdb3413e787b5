import type { Db, Pipeline, Project, PushEvent } from "@minilab/db";
import { emitHookEvents } from "../hooks/event-sink.ts";
import { handlePush } from "../pipelines/handle-push.ts";

export interface RecordPushOptions {
  db: Db;
  project: Pick<Project, "id" | "namespace" | "path">;
  /** The pusher; null for pushes without a user (none today). */
  userId: number | null;
  /** Ref updates git accepted and applied, in its order (from the post-receive hook). */
  updates: ReadonlyArray<{ ref: string; oldSha: string; newSha: string }>;
  /** `git push -o` values; `ci.skip` skips pipeline creation (the events are still recorded). */
  pushOptions?: readonly string[];
}

export interface RecordPushResult {
  events: PushEvent[];
  pipelines: Pipeline[];
}

/**
 * After receive-pack applied a push: one durable PushEvent per accepted ref update, all in one
 * transaction (a push of 500 refs is 500 rows or none), then pipelines for them. Rejected updates
 * never reach here, so they never produce an event. Events are written first: if pipeline creation
 * fails, the events are still there for a consumer to retry from.
 */
export async function recordPush({
  db,
  project,
  userId,
  updates,
  pushOptions = [],
}: RecordPushOptions): Promise<RecordPushResult> {
  if (updates.length === 0) return { events: [], pipelines: [] };
  const events = await db.pushEvent.createManyAndReturn({
    data: updates.map((u) => ({
      projectId: project.id,
      userId,
      ref: u.ref,
      oldSha: u.oldSha,
      newSha: u.newSha,
    })),
  });
  // Push hooks go out before the pipelines' hooks, as in GitLab.
  await emitHookEvents(
    events.map((e) => ({ kind: "push" as const, projectId: project.id, pushEventId: e.id })),
  );
  const pipelines = await handlePush({ db, project, userId, updates, pushOptions });
  return { events, pipelines };
}
