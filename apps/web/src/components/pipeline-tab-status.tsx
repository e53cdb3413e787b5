"use client";
import { useEffect, useState } from "react";
import { useStatusEvents } from "./project-events";
import { StatusFavicon } from "./status-favicon";

/** Tab title + favicon for the pipeline on screen, following its live status. */
export function PipelineTabStatus({ id, initial, title }: { id: number; initial: string; title: string }) {
  const [status, setStatus] = useState(initial);
  useEffect(() => setStatus(initial), [initial]);
  useStatusEvents((m) => {
    if (m.kind === "pipeline" && m.id === id) setStatus(m.status);
  });
  return <StatusFavicon status={status} title={title} />;
}
