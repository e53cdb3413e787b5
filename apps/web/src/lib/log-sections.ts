/**
 * The section tree of a rendered log and what is visible given which sections are collapsed.
 * Sections are keyed by their header's absolute line number, which stays stable when earlier parts
 * of the log are prepended. An unclosed section runs to the end of what is loaded (still running).
 */
import type { LogLine } from "./log-render";

export interface Section {
  /** Header line number. */
  n: number;
  name: string;
  startTs: number;
  endTs?: number;
  collapsedByDefault: boolean;
}

export interface SectionTree {
  /** Per line index: index of the innermost enclosing section header, or -1. */
  parent: Int32Array;
  /** Header line index → section. */
  sections: Map<number, Section>;
}

export function buildSections(lines: readonly LogLine[]): SectionTree {
  const parent = new Int32Array(lines.length).fill(-1);
  const sections = new Map<number, Section>();
  const open: number[] = [];
  lines.forEach((line, i) => {
    for (const end of line.ends ?? []) {
      // Close the named section (and any left open inside it, as GitLab's parser does).
      const at = open.findLastIndex((h) => sections.get(h)?.name === end.name);
      if (at < 0) continue;
      for (const h of open.splice(at)) {
        const s = sections.get(h);
        if (s && s.endTs === undefined) s.endTs = end.ts;
      }
    }
    parent[i] = open.at(-1) ?? -1;
    if (line.start) {
      sections.set(i, {
        n: line.n,
        name: line.start.name,
        startTs: line.start.ts,
        collapsedByDefault: line.start.collapsed,
      });
      open.push(i);
    }
  });
  return { parent, sections };
}

/** Indices of the lines to show: not hidden, and no enclosing section collapsed. */
export function visibleLines(
  lines: readonly LogLine[],
  tree: SectionTree,
  isCollapsed: (s: Section) => boolean,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.hidden) continue;
    let p = tree.parent[i] ?? -1;
    let shown = true;
    while (p >= 0) {
      const s = tree.sections.get(p);
      if (s && isCollapsed(s)) {
        shown = false;
        break;
      }
      p = tree.parent[p] ?? -1;
    }
    if (shown) out.push(i);
  }
  return out;
}

/** `mm:ss` (or `h:mm:ss`) like GitLab's section durations. */
export function sectionDuration(s: Section): string | null {
  if (s.endTs === undefined) return null;
  const d = Math.max(0, s.endTs - s.startTs);
  const h = Math.floor(d / 3600);
  const pad = (x: number) => String(x).padStart(2, "0");
  const ms = `${pad(Math.floor((d % 3600) / 60))}:${pad(d % 60)}`;
  return h ? `${h}:${ms}` : ms;
}
