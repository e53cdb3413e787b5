"use client";
/**
 * Re-renders the page from the server when an `event` arrives on `url` (an SSE stream) whose JSON
 * data matches `where`: for pages that show aggregates (the home feed, charts, the admin runners
 * table) rather than one badge per item. Refreshes are coalesced (at most one per
 * {@link COALESCE_MS}). Events sent before the subscription was active are lost, so a (re)connect
 * refreshes once — unless the stream's `ready` carries the live version the page was rendered at
 * (server/live-version.ts): then nothing was missed. Server push only — nothing polls.
 */
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useMissedSince } from "./live-version";

const COALESCE_MS = 500;

/**
 * Which events count, as data (props of a client component must be serialisable): each key names a
 * field of the event's data and lists the values it may have, e.g. `{ kind: ["pipeline"] }`.
 */
export type EventFilter = Readonly<Record<string, readonly (string | number | boolean)[]>>;

export function LiveRefresh({
  url,
  event = "status",
  where,
  version,
}: {
  url: string;
  /** The SSE event name that triggers a refresh. @defaultValue `status` (StatusEvent streams) */
  event?: string;
  /** @defaultValue every `event` counts */
  where?: EventFilter;
  /** The live version the page was rendered at (server/live-version.ts). */
  version?: string;
}) {
  const router = useRouter();
  const missed = useMissedSince(version);
  // A server re-render passes an equal but new `where` object: depend on its content, or every
  // refresh would reconnect the stream (whose `ready` refreshes again).
  const filter = where ? JSON.stringify(where) : "";
  useEffect(() => {
    const want = filter ? (JSON.parse(filter) as EventFilter) : undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, COALESCE_MS);
    };
    const es = new EventSource(url);
    // Anything that changed between the server render (or a disconnect) and the subscription.
    es.addEventListener("ready", (e) => {
      if (missed(e as MessageEvent<string>)) refresh();
    });
    es.addEventListener(event, (e) => {
      if (want) {
        const data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
        if (!Object.entries(want).every(([k, values]) => values.some((v) => v === data[k]))) return;
      }
      refresh();
    });
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [url, event, filter, router, missed]);
  return null;
}
