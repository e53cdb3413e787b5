/**
 * Where use-cases hand domain events for webhooks: runEffects (pipeline and job status changes, after
 * their transaction committed) and recordPush (after the PushEvent rows exist). The web process
 * installs a sink that puts them on the hook-events queue (startHookWorkers); without one (CLI, unit
 * tests) they are dropped, as there is nobody to deliver them. A failing sink is logged, never thrown:
 * the state change already happened and must not look failed to its caller.
 */
import { randomUUID } from "node:crypto";
import type { HookEvent } from "@minilab/contracts";

type Sink = (events: HookEvent[]) => Promise<void>;
type NewEvent = HookEvent extends infer E ? (E extends HookEvent ? Omit<E, "uuid"> : never) : never;

const g = globalThis as { __minilabHookSink?: Sink | undefined };

export function setHookEventSink(sink: Sink | undefined): void {
  g.__minilabHookSink = sink;
}

export async function emitHookEvents(events: readonly NewEvent[]): Promise<void> {
  const sink = g.__minilabHookSink;
  if (!sink || events.length === 0) return;
  try {
    await sink(events.map((e): HookEvent => ({ ...e, uuid: randomUUID() })));
  } catch (e) {
    console.error("minilab: queueing webhook events failed", e);
  }
}
