"use client";
import { useMemo, useState } from "react";
import type { LogLine } from "../../lib/log-render";

/** Case-insensitive search over the loaded lines (hidden section-end lines excluded). */
export function useLogSearch(lines: readonly LogLine[], version: number) {
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(0);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const out: number[] = [];
    lines.forEach((l, i) => {
      if (!l.hidden && l.text.toLowerCase().includes(q)) out.push(i);
    });
    return out;
    // `lines` is mutated in place; `version` says when.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, lines, version]);
  const at = matches.length ? Math.min(current, matches.length - 1) : -1;
  return {
    query,
    setQuery: (q: string) => {
      setQuery(q);
      setCurrent(0);
    },
    matches,
    at,
    /** Index (into lines) of the current hit. */
    hit: at >= 0 ? matches[at] : undefined,
    step: (d: 1 | -1) => {
      if (matches.length) setCurrent((at + d + matches.length) % matches.length);
    },
  };
}
