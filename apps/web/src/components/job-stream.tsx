"use client";
/**
 * The job page's live state: one EventSource on `trace.stream`, resuming at the byte offset the
 * server rendered (`?from=`), later at `Last-Event-ID` (the browser sends it on reconnect).
 * Closed for good on a final status; finished jobs never open it.
 */
import { useRouter } from "next/navigation";
import {
  createContext,
  memo,
  useContext,
  useEffect,
  useLayoutEffect,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { LogRenderer, type LogLine } from "../lib/log-render";
import { StatusBadge } from "./status";

interface JobState {
  status: string;
  renderer: LogRenderer;
  /** Bumped on every log append so consumers re-render (the renderer mutates in place). */
  version: number;
}

const JobContext = createContext<JobState | null>(null);

export function JobStream({
  streamUrl,
  initialStatus,
  initialLog,
  initialOffset,
  live,
  children,
}: {
  streamUrl: string;
  initialStatus: string;
  initialLog: string;
  initialOffset: number;
  live: boolean;
  children: ReactNode;
}) {
  const router = useRouter();
  const [renderer] = useState(() => {
    const r = new LogRenderer();
    r.push(initialLog);
    return r;
  });
  const [status, setStatus] = useState(initialStatus);
  const [version, bump] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    if (!live) return;
    const es = new EventSource(`${streamUrl}?from=${initialOffset}`);
    es.addEventListener("log", (e) => {
      renderer.push(JSON.parse((e as MessageEvent<string>).data) as string);
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
    return () => es.close();
    // The stream is opened once per page view; the offset only matters for the first connect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [streamUrl, live]);

  return <JobContext.Provider value={{ status, renderer, version }}>{children}</JobContext.Provider>;
}

function useJob(): JobState {
  const s = useContext(JobContext);
  if (!s) throw new Error("JobStream missing");
  return s;
}

export function LiveJobStatus() {
  return <StatusBadge status={useJob().status} testId="job-status" />;
}

const Line = memo(function Line({ line }: { line: LogLine }) {
  return (
    <div
      className={line.section ? "log-line log-section" : "log-line"}
      dangerouslySetInnerHTML={{ __html: line.html || "\u200b" }}
    />
  );
});

export function LiveLog() {
  const { renderer, version, status } = useJob();
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const partial = renderer.partialLine();

  // Follow the tail unless the reader scrolled up; scrolling back to the bottom re-enables it.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [version]);

  const empty = renderer.lines.length === 0 && !partial;
  return (
    <div
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 32;
      }}
      data-testid="job-log"
      role="log"
      aria-live="off"
      aria-label="Job log"
      className="job-log max-h-[70vh] min-h-48 overflow-auto rounded-md bg-[#1f1e24] p-4 font-mono text-[13px] leading-[1.35] text-[#e8e8e8]"
    >
      {renderer.lines.map((line, i) => (
        <Line key={i} line={line} />
      ))}
      {partial && <Line line={partial} />}
      {empty && (
        <div className="text-zinc-400">
          {status === "pending" || status === "created" || status === "waiting_for_resource"
            ? "This job has not started yet. The log appears here as soon as a runner picks it up."
            : "No log output."}
        </div>
      )}
    </div>
  );
}
