"use client";
import { Link } from "./link";
import { useEffect, useState } from "react";
import { useStatusEvents } from "./project-events";
import { StatusBadge, StatusIcon } from "./status";

/** A status badge (or icon) that follows the project's status stream for one pipeline or job. */
export function LiveStatus({
  kind,
  id,
  initial,
  variant = "badge",
  testId,
  warnings = false,
}: {
  kind: "pipeline" | "job";
  id: number;
  initial: string;
  variant?: "badge" | "icon";
  testId?: string;
  /** "Passed with warnings" as of the server render (shown while the status stays success). */
  warnings?: boolean;
}) {
  const [status, setStatus] = useState(initial);
  // A server refresh brings the truth from Postgres; it wins over what events said.
  useEffect(() => setStatus(initial), [initial]);
  useStatusEvents((m) => {
    if (m.kind === kind && m.id === id) setStatus(m.status);
  });
  if (variant === "icon") {
    return (
      <span data-testid={testId} data-status={status} className="inline-flex">
        <StatusIcon status={status} />
      </span>
    );
  }
  return <StatusBadge status={status} testId={testId} warnings={warnings && status === initial} />;
}

/** A job node in the pipeline graph: carries `data-status` for tests and follows live updates. */
export function LiveJobNode({
  id,
  name,
  initial,
  href,
  detail,
  title,
}: {
  id: number;
  name: string;
  initial: string;
  href: string;
  /** Small text after the name, e.g. the duration. */
  detail?: string;
  title?: string;
}) {
  const [status, setStatus] = useState(initial);
  useEffect(() => setStatus(initial), [initial]);
  useStatusEvents((m) => {
    if (m.kind === "job" && m.id === id) setStatus(m.status);
  });
  return (
    <Link
      href={href}
      data-testid={`job-${name}`}
      data-job-name={name}
      data-status={status}
      title={title}
      className="flex items-center gap-2 rounded-full border border-zinc-200 bg-white px-3 py-1.5 text-sm text-zinc-800 shadow-xs hover:border-zinc-400 hover:bg-zinc-50 hover:no-underline"
    >
      <StatusIcon status={status} />
      <span className="truncate">{name}</span>
      {detail && <span className="muted ml-auto pl-2 font-mono text-xs">{detail}</span>}
    </Link>
  );
}
