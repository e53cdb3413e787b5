"use client";
/** Small live pieces of the job page that follow the JobStream's status. */
import { useEffect, useState } from "react";
import { formatDuration } from "../../lib/format";
import { StatusBadge } from "../status";
import { StatusFavicon } from "../status-favicon";
import { useJobLog } from "./job-stream";

export function LiveJobStatus() {
  return <StatusBadge status={useJobLog().status} testId="job-status" />;
}

export function JobTabStatus({ title }: { title: string }) {
  return <StatusFavicon status={useJobLog().status} title={title} />;
}

/** Seconds since `startedAt`, ticking while the job runs; the server's final value once it ends. */
export function LiveDuration({ startedAt, seconds }: { startedAt: string | null; seconds: number | null }) {
  const { status } = useJobLog();
  const running = status === "running" && startedAt !== null && seconds === null;
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!running) return;
    const tick = () => setNow(Date.now());
    tick();
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [running]);
  const value =
    running && now !== null && startedAt ? Math.max(0, (now - Date.parse(startedAt)) / 1000) : seconds;
  return (
    <span className="font-mono text-xs" data-testid="job-duration">
      {formatDuration(value)}
    </span>
  );
}
