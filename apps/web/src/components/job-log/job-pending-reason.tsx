"use client";
/**
 * The job page's "why is this job pending" sentence, kept current by server push: the one the page was
 * rendered with, then each one the project's event stream sends for this job (`?pendingJob=<id>`,
 * server/pending-reasons-push.ts) — when a matching runner comes online or goes offline, the queue
 * moves, a need finishes, or the job is canceled. The stream is open only while the JobStream's status
 * says the job waits; once it runs or ends, the sentence is gone and the stream closed.
 */
import { useEffect, useState } from "react";
import { useJobLog } from "./job-stream";

/** The statuses pending reasons exist for (core's pending-reason.ts). */
const WAITING = new Set(["created", "manual", "scheduled", "waiting_for_resource", "pending"]);

export function JobPendingReason({
  eventsUrl,
  jobId,
  initial,
}: {
  /** The project's `events.stream`. */
  eventsUrl: string;
  jobId: number;
  /** The reason the server rendered the page with. */
  initial?: string;
}) {
  const waiting = WAITING.has(useJobLog().status);
  const [reason, setReason] = useState(initial);
  useEffect(() => setReason(initial), [initial]);
  useEffect(() => {
    if (!waiting) return;
    const es = new EventSource(`${eventsUrl}?pendingJob=${jobId}`);
    es.addEventListener("pending", (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as { reasons: Record<string, string> };
      setReason(m.reasons[String(jobId)]);
    });
    return () => es.close();
  }, [eventsUrl, jobId, waiting]);
  if (!waiting || !reason) return null;
  return (
    <p className="mb-3 text-sm text-zinc-700" data-testid="job-pending-reason" role="status">
      {reason}
    </p>
  );
}
