"use client";
import type { KeyboardEvent } from "react";

export interface ToolbarProps {
  query: string;
  onQuery: (q: string) => void;
  hits: number;
  at: number;
  onStep: (d: 1 | -1) => void;
  showTime: boolean;
  onShowTime: (on: boolean) => void;
  follow: boolean;
  onFollow: (on: boolean) => void;
  onTop: () => void;
  onBottom: () => void;
  rawUrl: string;
}

export function LogToolbar(p: ToolbarProps) {
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      p.onStep(e.shiftKey ? -1 : 1);
    } else if (e.key === "Escape") p.onQuery("");
  };
  return (
    <div className="log-toolbar" role="toolbar" aria-label="Job log tools">
      <div className="flex min-w-0 flex-1 items-center gap-1.5">
        <input
          type="search"
          className="input max-w-64 py-1"
          placeholder="Search the log"
          aria-label="Search the job log"
          data-testid="log-search"
          value={p.query}
          onChange={(e) => p.onQuery(e.target.value)}
          onKeyDown={onKey}
        />
        {p.query.trim() && (
          <span className="muted text-xs whitespace-nowrap" aria-live="polite" data-testid="log-search-count">
            {p.hits ? `${p.at + 1} of ${p.hits}` : "no matches"}
          </span>
        )}
        <button
          type="button"
          className="btn px-2 py-1"
          aria-label="Previous match"
          onClick={() => p.onStep(-1)}
        >
          ↑
        </button>
        <button type="button" className="btn px-2 py-1" aria-label="Next match" onClick={() => p.onStep(1)}>
          ↓
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-1.5">
        <button
          type="button"
          className="btn px-2 py-1"
          aria-pressed={p.showTime}
          data-testid="log-timestamps"
          onClick={() => p.onShowTime(!p.showTime)}
        >
          Timestamps
        </button>
        <button
          type="button"
          className="btn px-2 py-1"
          aria-pressed={p.follow}
          data-testid="log-follow"
          onClick={() => p.onFollow(!p.follow)}
        >
          {p.follow ? "Following" : "Follow"}
        </button>
        <button type="button" className="btn px-2 py-1" aria-label="Scroll to top" onClick={p.onTop}>
          <EdgeArrow up />
        </button>
        <button type="button" className="btn px-2 py-1" aria-label="Scroll to bottom" onClick={p.onBottom}>
          <EdgeArrow up={false} />
        </button>
        <a className="btn px-2 py-1" href={p.rawUrl} target="_blank" rel="noreferrer" data-testid="log-raw">
          Raw
        </a>
        <a className="btn px-2 py-1" href={`${p.rawUrl}?download=1`} download data-testid="log-download">
          Download
        </a>
      </div>
    </div>
  );
}

/**
 * An arrow to a bar, drawn: the ⤒ ⤓ characters are missing from most UI fonts, and each costs the
 * browser a fallback-font search before the page's first paint.
 */
function EdgeArrow({ up }: { up: boolean }) {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 14 14"
      aria-hidden="true"
      className={up ? "my-[3px]" : "my-[3px] rotate-180"}
    >
      <path
        d="M2 1.5h10M7 4.5v8M3.5 8 7 4.5 10.5 8"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
