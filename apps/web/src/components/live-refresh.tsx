"use client";
/**
 * Re-renders the page from the server when a status event arrives on `url` (an SSE status stream):
 * for pages that show aggregates (the home feed, charts) rather than one badge per pipeline.
 * Refreshes are coalesced (at most one per {@link COALESCE_MS}); every (re)connect refreshes once,
 * since events sent before the subscription was active are lost. Server push only — nothing polls.
 */
import { useRouter } from "next/navigation";
import { useEffect } from "react";

const COALESCE_MS = 500;
const FINISHED = new Set(["success", "failed", "canceled", "skipped", "manual"]);

export function LiveRefresh({
  url,
  on = "pipeline",
}: {
  url: string;
  /** `pipeline`: any pipeline status change; `finished`: only pipelines reaching a final status. */
  on?: "pipeline" | "finished";
}) {
  const router = useRouter();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, COALESCE_MS);
    };
    const es = new EventSource(url);
    // Anything that changed between the server render (or a disconnect) and the subscription.
    es.addEventListener("ready", refresh);
    es.addEventListener("status", (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as { kind: string; status: string };
      if (m.kind !== "pipeline" || (on === "finished" && !FINISHED.has(m.status))) return;
      refresh();
    });
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [url, on, router]);
  return null;
}
