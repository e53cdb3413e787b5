"use client";
/**
 * One EventSource per page on the project's status stream, shared by every LiveStatus below it.
 * On (re)connect the page is refreshed from the server, so nothing that changed before the
 * subscription was active is missed — unless the stream's live version equals the page's
 * (server/live-version.ts); a pipeline the page does not know yet also refreshes it.
 * With `pendingFor` (a pipeline page) the stream also pushes that pipeline's "why is this job
 * pending" reasons whenever they change; {@link LivePendingReason} shows them.
 */
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useMissedSince } from "./live-version";

export interface StatusMessage {
  kind: "pipeline" | "job";
  id: number;
  pipelineId: number;
  projectId: number;
  status: string;
}

type Listener = (m: StatusMessage) => void;
/** Job id (as a string) → reason, for every waiting job of the pipeline. */
type PendingListener = (reasons: Record<string, string>) => void;

interface Bus {
  subscribe(fn: Listener): () => void;
  subscribePending(fn: PendingListener): () => void;
}

const BusContext = createContext<Bus | null>(null);

const FINISHED = new Set(["success", "failed", "canceled", "skipped", "manual"]);

export function ProjectEvents({
  url,
  pipelineIds,
  refreshOnNewPipeline = false,
  pendingFor,
  version,
  children,
}: {
  url: string;
  /** The live version the page was rendered at (server/live-version.ts). */
  version?: string;
  /** A pipeline whose pending reasons the stream should push (`?pending=`). */
  pendingFor?: number;
  /** Pipelines shown on the page; a finished one refreshes the page (durations, stages). */
  pipelineIds: number[];
  refreshOnNewPipeline?: boolean;
  children: ReactNode;
}) {
  const router = useRouter();
  const missed = useMissedSince(version);
  const listeners = useRef(new Set<Listener>());
  const pendingListeners = useRef(new Set<PendingListener>());
  const known = useRef(new Set(pipelineIds));
  const busRef = useRef<Bus>({
    subscribe(fn) {
      listeners.current.add(fn);
      return () => listeners.current.delete(fn);
    },
    subscribePending(fn) {
      pendingListeners.current.add(fn);
      return () => pendingListeners.current.delete(fn);
    },
  });
  useEffect(() => {
    for (const id of pipelineIds) known.current.add(id);
  }, [pipelineIds]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, 300);
    };
    const es = new EventSource(pendingFor === undefined ? url : `${url}?pending=${pendingFor}`);
    es.addEventListener("ready", (e) => {
      if (missed(e as MessageEvent<string>)) refresh();
    });
    es.addEventListener("pending", (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as { reasons: Record<string, string> };
      for (const fn of pendingListeners.current) fn(m.reasons);
    });
    es.addEventListener("status", (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as StatusMessage;
      for (const fn of listeners.current) fn(m);
      if (m.kind !== "pipeline") return;
      if (!known.current.has(m.id)) {
        if (refreshOnNewPipeline) {
          known.current.add(m.id);
          refresh();
        }
      } else if (FINISHED.has(m.status)) {
        refresh();
      }
    });
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [url, refreshOnNewPipeline, pendingFor, router, missed]);

  return <BusContext.Provider value={busRef.current}>{children}</BusContext.Provider>;
}

export function useStatusEvents(fn: Listener): void {
  const bus = useContext(BusContext);
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => bus?.subscribe((m) => ref.current(m)), [bus]);
}

/**
 * A job's "why is this job pending" sentence: the one the page was rendered with, then each one the
 * stream pushes (nothing once the job no longer waits).
 */
export function LivePendingReason({ jobId, initial }: { jobId: number; initial?: string }) {
  const bus = useContext(BusContext);
  const [reason, setReason] = useState(initial);
  useEffect(() => setReason(initial), [initial]);
  useEffect(() => bus?.subscribePending((reasons) => setReason(reasons[String(jobId)])), [bus, jobId]);
  if (!reason) return null;
  return (
    <span className="ml-3 block text-xs text-zinc-500" data-testid="pending-reason">
      {reason}
    </span>
  );
}
