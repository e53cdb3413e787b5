"use client";
import { memo } from "react";
import type { LogLine } from "../../lib/log-render";
import { sectionDuration, type Section } from "../../lib/log-sections";

export interface RowProps {
  line: LogLine;
  section: Section | undefined;
  collapsed: boolean;
  onToggle: (n: number) => void;
  showTime: boolean;
  /** "current" search hit, another "match", the "selected" anchor line, or nothing. */
  mark: "current" | "match" | "selected" | null;
}

const pad = (x: number, w = 2) => String(x).padStart(w, "0");
const clock = (d: Date, ms: boolean) =>
  `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${ms ? `.${pad(d.getMilliseconds(), 3)}` : ""}`;

/** Timestamp column: the runner's section time, or when the browser received a live line. */
function Time({ line }: { line: LogLine }) {
  if (line.start)
    return (
      <span className="log-ts" title="Section start, recorded by the runner">
        {clock(new Date(line.start.ts * 1000), false)}
      </span>
    );
  if (line.receivedAt !== undefined)
    return (
      <span className="log-ts log-ts-received" title="Received by your browser">
        {clock(new Date(line.receivedAt), true)}
      </span>
    );
  return <span className="log-ts" />;
}

export const LogRow = memo(function LogRow({ line, section, collapsed, onToggle, showTime, mark }: RowProps) {
  // An empty line keeps its height from `.log-row`'s min-height (no zero-width space: monospace fonts
  // lack it, and each row holding one cost a fallback-font search).
  const html = line.html;
  const duration = section ? sectionDuration(section) : null;
  return (
    <div className="log-row" data-line={line.n} data-mark={mark ?? undefined}>
      <a
        className="log-num"
        id={`L${line.n}`}
        href={`#L${line.n}`}
        aria-label={`Line ${line.n}`}
        tabIndex={-1}
      >
        {line.n}
      </a>
      {showTime && <Time line={line} />}
      {section ? (
        <button
          type="button"
          className="log-section"
          aria-expanded={!collapsed}
          data-testid={`log-section-${section.name}`}
          onClick={() => onToggle(section.n)}
        >
          <span aria-hidden="true" className="log-chevron">
            {collapsed ? "▸" : "▾"}
          </span>
          <span className="log-text" dangerouslySetInnerHTML={{ __html: html }} />
          {duration && (
            <span className="log-duration" data-testid="log-section-duration">
              {duration}
            </span>
          )}
        </button>
      ) : (
        <span className="log-text" dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </div>
  );
});
