"use client";
/**
 * The log's last rows as plain HTML, for the first paint of the job page. The server renders them
 * (and hydration keeps them) inside the log box while `.job-log-pinned` (a `column-reverse` flex
 * container) anchors its scroll position at the bottom, so the tail is on screen before any script
 * has run — or with scripting off. Once the page is hydrated the virtualised list replaces them.
 */
import type { LogLine } from "../../lib/log-render";
import type { Section, SectionTree } from "../../lib/log-sections";
import { PINNED_ROWS } from "../../lib/log-tail-window";
import { LogRow } from "./log-row";

/**
 * Runs while the HTML is parsed, right after the log box: the page scrolls just enough to show the
 * box's bottom (unless a `#L<n>` anchor asks for a line), as the hydrated page does.
 */
const SHOW_BOX = `(function(){try{var b=document.currentScript.previousElementSibling;if(b&&!/^#L\\d+$/.test(location.hash)&&b.getBoundingClientRect().bottom>innerHeight)b.scrollIntoView({block:"nearest"});}catch(e){}})();`;

export function PinnedTail(p: {
  lines: readonly LogLine[];
  visible: readonly number[];
  partial: LogLine | null;
  tree: SectionTree;
  isCollapsed: (s: Section) => boolean;
}) {
  const noop = () => {};
  return (
    <div className="job-log-rows">
      {p.visible.slice(-PINNED_ROWS).map((idx) => {
        const line = p.lines[idx];
        if (!line) return null;
        const section = p.tree.sections.get(idx);
        return (
          <LogRow
            key={line.n}
            line={line}
            section={section}
            collapsed={section ? p.isCollapsed(section) : false}
            onToggle={noop}
            showTime={false}
            mark={null}
          />
        );
      })}
      {p.partial && (
        <LogRow
          line={p.partial}
          section={undefined}
          collapsed={false}
          onToggle={noop}
          showTime={false}
          mark={null}
        />
      )}
    </div>
  );
}

const TAIL_END = "job-log-tail-end";

/**
 * Placed right after the log box while it is pinned (see SHOW_BOX). The `expect` link (React
 * hoists it into the head) holds the browser's first frame until the parser is past this point:
 * otherwise, when the HTML arrives in pieces or the parser yields, a frame showing the page's top
 * and only part of the tail comes first, and the last line waits for a later frame — measured
 * 30–200 ms later in about one load in five (bench/log-latency).
 */
export function ShowPinnedBox() {
  return (
    <>
      <link rel="expect" href={`#${TAIL_END}`} blocking="render" />
      <script id={TAIL_END} dangerouslySetInnerHTML={{ __html: SHOW_BOX }} />
    </>
  );
}
