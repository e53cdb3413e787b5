"use client";
/**
 * The job page's live state: the log loaded so far and the job status.
 *
 * The server renders the last lines of the stored log (`start` … `offset`); one EventSource on
 * `trace.stream` continues at `offset` (`?from=`, later `Last-Event-ID`, which the browser sends on
 * reconnect), so every byte is shown exactly once. Earlier parts are fetched from
 * `raw?end=<start>` and prepended: the rest of the server's window (from `initialFill`) right after
 * hydration, then more on demand. Appends are coalesced to one render per frame, so a
 * fast log costs at most one re-render per frame. Closed for good on a final status; finished jobs
 * never open it.
 */
import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { LogRenderer, renderBlock } from "../../lib/log-render";

export interface JobLogState {
  status: string;
  renderer: LogRenderer;
  /** Bumped whenever `renderer.lines` changed (the renderer mutates in place). */
  version: number;
  /** Byte offset of the first loaded line; 0 once the whole log is loaded. */
  start: number;
  /** Total bytes received so far. */
  end: number;
  loadingEarlier: boolean;
  loadEarlier: (bytes?: number) => Promise<void>;
  /** Where the server's window began, when only its last lines came with the page (see log-tail-window.ts). */
  initialFill: LogPosition | null;
  rawUrl: string;
}

/** A line start in the stored log: byte offset and 1-based line number. */
export interface LogPosition {
  start: number;
  firstLine: number;
}

const JobContext = createContext<JobLogState | null>(null);
const EARLIER_BYTES = 512 * 1024;

export function JobStream(props: {
  streamUrl: string;
  rawUrl: string;
  initialStatus: string;
  initialLog: string;
  /** Byte offset and line number where `initialLog` starts. */
  initialStart: number;
  initialFirstLine: number;
  /** Byte offset where `initialLog` ends (the stream resumes here). */
  initialOffset: number;
  initialFill: LogPosition | null;
  live: boolean;
  children: ReactNode;
}) {
  const { streamUrl, rawUrl, live } = props;
  const router = useRouter();
  const [renderer] = useState(() => {
    const r = new LogRenderer(props.initialFirstLine);
    r.push(props.initialLog);
    return r;
  });
  const [status, setStatus] = useState(props.initialStatus);
  const [version, setVersion] = useState(0);
  const [start, setStart] = useState(props.initialStart);
  const [end, setEnd] = useState(props.initialOffset);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const frame = useRef<number | null>(null);
  const startRef = useRef(props.initialStart);

  const bump = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setVersion((v) => v + 1);
    });
  }, []);

  useEffect(() => {
    if (!live) return;
    const es = new EventSource(`${streamUrl}?from=${props.initialOffset}`);
    es.addEventListener("log", (e) => {
      const m = e as MessageEvent<string>;
      renderer.push(JSON.parse(m.data) as string, Date.now());
      if (m.lastEventId) setEnd(Number(m.lastEventId));
      bump();
    });
    es.addEventListener("status", (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as { status: string; final: boolean };
      setStatus(s.status);
      if (s.final) {
        es.close();
        // Duration, finish time and the pipeline status come from the server.
        router.refresh();
      }
    });
    return () => {
      es.close();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
    // The stream is opened once per page view; the offset only matters for the first connect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [streamUrl, live]);

  const busy = useRef(false);
  const loadEarlier = useCallback(
    async (bytes = EARLIER_BYTES) => {
      if (busy.current || startRef.current === 0) return;
      busy.current = true;
      setLoadingEarlier(true);
      try {
        const res = await fetch(`${rawUrl}?end=${startRef.current}&limit=${bytes}`);
        if (!res.ok) throw new Error(`loading earlier log failed: ${res.status}`);
        const text = await res.text();
        const first = Number(res.headers.get("X-Log-First-Line") ?? "1");
        const newStart = Number(res.headers.get("X-Log-Start") ?? "0");
        renderer.prepend(renderBlock(text, first));
        startRef.current = newStart;
        setStart(newStart);
        setVersion((v) => v + 1);
      } finally {
        busy.current = false;
        setLoadingEarlier(false);
      }
    },
    [rawUrl, renderer],
  );

  return (
    <JobContext.Provider
      value={{
        status,
        renderer,
        version,
        start,
        end,
        loadingEarlier,
        loadEarlier,
        initialFill: props.initialFill,
        rawUrl,
      }}
    >
      {props.children}
    </JobContext.Provider>
  );
}

export function useJobLog(): JobLogState {
  const s = useContext(JobContext);
  if (!s) throw new Error("JobStream missing");
  return s;
}
