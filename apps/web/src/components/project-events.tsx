"use client";
/**
 * One EventSource per page on the project's status stream, shared by every LiveStatus below it.
 * On (re)connect the page is refreshed from the server, so nothing that changed before the
 * subscription was active is missed; a pipeline the page does not know yet also refreshes it.
 */
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";

export interface StatusMessage {
  kind: "pipeline" | "job";
  id: number;
  pipelineId: number;
  projectId: number;
  status: string;
}

type Listener = (m: StatusMessage) => void;

interface Bus {
  subscribe(fn: Listener): () => void;
}

const BusContext = createContext<Bus | null>(null);

const FINISHED = new Set(["success", "failed", "canceled", "skipped", "manual"]);

export function ProjectEvents({
  url,
  pipelineIds,
  refreshOnNewPipeline = false,
  children,
}: {
  url: string;
  /** Pipelines shown on the page; a finished one refreshes the page (durations, stages). */
  pipelineIds: number[];
  refreshOnNewPipeline?: boolean;
  children: ReactNode;
}) {
  const router = useRouter();
  const listeners = useRef(new Set<Listener>());
  const known = useRef(new Set(pipelineIds));
  const busRef = useRef<Bus>({
    subscribe(fn) {
      listeners.current.add(fn);
      return () => listeners.current.delete(fn);
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
    const es = new EventSource(url);
    es.addEventListener("ready", refresh);
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
  }, [url, refreshOnNewPipeline, router]);

  return <BusContext.Provider value={busRef.current}>{children}</BusContext.Provider>;
}

export function useStatusEvents(fn: Listener): void {
  const bus = useContext(BusContext);
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => bus?.subscribe((m) => ref.current(m)), [bus]);
}
