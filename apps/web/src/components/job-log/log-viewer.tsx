"use client";
/**
 * The job log: virtualised rows (only what is on screen is in the DOM, so a 50 MB log stays fast),
 * collapsible sections, linkable line numbers (#L12), search, follow-the-tail and on-demand loading
 * of earlier parts. Until the page is hydrated, the box holds the server-rendered last rows, scrolled
 * to its end by CSS (log-tail.tsx), so the tail is in the first paint.
 *
 * Following: on while the reader is at the bottom. Only the reader's own input turns it off (wheel,
 * touch, scroll keys, dragging the scrollbar): the virtualiser re-measuring rows also moves
 * `scrollTop`, sometimes upwards, and must not be mistaken for the reader scrolling up. The reader
 * scrolling back to the bottom, the Follow button or "scroll to bottom" turn it on again.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type PointerEvent,
  type WheelEvent,
} from "react";
import { TRUNCATION_NOTICE } from "../../lib/log-render";
import { buildSections, visibleLines, type Section } from "../../lib/log-sections";
import { useJobLog } from "./job-stream";
import { LogNotices } from "./log-notices";
import { LogRow } from "./log-row";
import { PinnedTail, ShowPinnedBox } from "./log-tail";
import { LogToolbar } from "./log-toolbar";
import { useLogSearch } from "./use-log-search";

const NOT_STARTED = new Set(["created", "pending", "waiting_for_resource", "preparing"]);
/** A scroll this soon (ms) after the reader's input counts as theirs (smooth scrolling included). */
const USER_INPUT_MS = 400;
const UP_KEYS = new Set(["ArrowUp", "PageUp", "Home"]);
const SCROLL_KEYS = new Set([...UP_KEYS, "ArrowDown", "PageDown", "End", " "]);
const noSubscribe = () => () => {};
/** False on the server and while hydrating its HTML; true once the page runs (and on client navigations). */
const useHydrated = () =>
  useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );

export function LogViewer() {
  const { renderer, version, status, start, loadingEarlier, loadEarlier, initialFill, rawUrl } = useJobLog();
  const lines = renderer.lines;
  const firstN = lines[0]?.n ?? 1;
  const partial = renderer.partialLine();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `lines` mutates in place; `version` says when
  const tree = useMemo(() => buildSections(lines), [lines, version]);
  const [overrides, setOverrides] = useState<ReadonlyMap<number, boolean>>(new Map());
  const isCollapsed = useCallback((s: Section) => overrides.get(s.n) ?? s.collapsedByDefault, [overrides]);
  const visible = useMemo(() => visibleLines(lines, tree, isCollapsed), [lines, tree, isCollapsed]);
  const rows = visible.length + (partial ? 1 : 0);
  const search = useLogSearch(lines, version);
  const [showTime, setShowTime] = useState(false);
  const [follow, setFollow] = useState(true);
  const [selected, setSelected] = useState<number | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  /** When the reader last touched the log's scrolling (ms), and whether a pointer drag is on. */
  const inputAt = useRef(0);
  const dragging = useRef(false);
  const anchor = useRef<number | null>(null);
  // Until hydrated, the box shows the server-rendered last rows pinned to its bottom (log-tail.tsx);
  // then the virtual list takes over.
  const hydrated = useHydrated();

  const v = useVirtualizer({
    count: rows,
    getScrollElement: () => (hydrated ? box.current : null),
    estimateSize: () => 18,
    overscan: 25,
  });

  /** Position in `visible` of line number n (visible is sorted by n), or -1. */
  const rowOf = useCallback(
    (n: number) => {
      let lo = 0;
      let hi = visible.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const m = lines[visible[mid] ?? 0]?.n ?? 0;
        if (m === n) return mid;
        if (m < n) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
    [visible, lines],
  );

  /** Expands the sections around line n and scrolls to it once it is visible. */
  const goTo = useCallback(
    (n: number) => {
      setFollow(false);
      const next = new Map(overrides);
      for (let p = tree.parent[n - firstN] ?? -1; p >= 0; p = tree.parent[p] ?? -1) {
        const s = tree.sections.get(p);
        if (s && isCollapsed(s)) next.set(s.n, false);
      }
      if (next.size !== overrides.size) setOverrides(next);
      setTarget(n);
    },
    [overrides, tree, firstN, isCollapsed],
  );

  useLayoutEffect(() => {
    if (target === null) return;
    const row = rowOf(target);
    if (row >= 0) {
      v.scrollToIndex(row, { align: "center" });
      setTarget(null);
    }
  }, [target, rowOf, v]);

  // Keep the reader's place when earlier lines are prepended.
  useLayoutEffect(() => {
    if (anchor.current === null) return;
    const row = rowOf(anchor.current);
    anchor.current = null;
    if (row >= 0) v.scrollToIndex(row, { align: "start" });
  }, [version, rowOf, v]);

  useLayoutEffect(() => {
    if (hydrated && follow && rows > 0 && target === null) v.scrollToIndex(rows - 1, { align: "end" });
  }, [version, rows, follow, target, v, hydrated]);

  const earlier = useCallback(
    async (bytes?: number) => {
      const first = v.getVirtualItems()[0];
      const idx = first ? visible[first.index] : undefined;
      anchor.current = idx !== undefined ? (lines[idx]?.n ?? null) : null;
      await loadEarlier(bytes);
    },
    [v, visible, lines, loadEarlier],
  );

  // The HTML carried only the last rows; the rest of the server's window comes now, so search and
  // scrolling up find it at once. Until then the notice describes the page as it will be.
  const [filling, setFilling] = useState(initialFill !== null);
  useEffect(() => {
    // One byte more than the gap: the window starts just after a newline, and a fetched window
    // begins after the first newline it holds.
    if (initialFill) void earlier(start - initialFill.start + 1).finally(() => setFilling(false));
    // once per page view
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const shownFrom = filling && initialFill ? initialFill : { start, firstLine: firstN };

  // Opening on the tail (no #L<n>): the box may start low enough that its last lines are below the
  // fold; scroll the page just enough to show them, as GitLab's job page does.
  useEffect(() => {
    if (/^#L\d+$/.test(window.location.hash)) return;
    const el = box.current;
    if (el && el.getBoundingClientRect().bottom > window.innerHeight) el.scrollIntoView({ block: "nearest" });
  }, []);

  // #L<n>: select and show the line, loading earlier parts until it is loaded.
  useEffect(() => {
    const read = () => {
      const m = /^#L(\d+)$/.exec(window.location.hash);
      setSelected(m ? Number(m[1]) : null);
    };
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);
  useEffect(() => {
    if (selected === null) return;
    if (selected < firstN && start > 0) void loadEarlier(Number.MAX_SAFE_INTEGER);
    else if (selected - firstN < lines.length) goTo(selected);
    // goTo changes with every render of the tree; run once per selection and load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, firstN, start]);

  const hit = search.hit;
  useEffect(() => {
    if (hit !== undefined) goTo(lines[hit]?.n ?? 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hit, search.at, search.query]);

  const onScroll = () => {
    const el = box.current;
    if (!el || !hydrated) return;
    // A scroll the reader caused decides following by where it left them; any other scroll
    // (re-measured rows, appended lines, prepended parts) leaves following as it is.
    if (dragging.current || performance.now() - inputAt.current < USER_INPUT_MS) {
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      if (atBottom !== follow) setFollow(atBottom);
    }
    if (el.scrollTop < 150 && start > 0 && !loadingEarlier) void earlier();
  };
  const userInput = () => {
    inputAt.current = performance.now();
  };
  // Stop at once on an upward gesture, before the next appended line scrolls to the bottom again.
  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    userInput();
    if (e.deltaY < 0) setFollow(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!SCROLL_KEYS.has(e.key)) return;
    userInput();
    if (UP_KEYS.has(e.key) || (e.key === " " && e.shiftKey)) setFollow(false);
  };
  // Pointer presses on the log's own box (not a row) are on its scrollbar.
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    dragging.current = true;
    userInput();
    const up = () => {
      dragging.current = false;
      userInput();
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
    };
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
  };

  const toggle = useCallback(
    (n: number) => {
      const s = tree.sections.get(n - firstN);
      if (s) setOverrides((m) => new Map(m).set(n, !isCollapsed(s)));
    },
    [tree, firstN, isCollapsed],
  );

  const matchSet = useMemo(() => new Set(search.matches), [search.matches]);
  const truncated = useMemo(() => {
    for (let i = Math.max(0, lines.length - 20); i < lines.length; i++) {
      const m = TRUNCATION_NOTICE.exec(lines[i]?.text ?? "");
      if (m) return Number(m[1]);
    }
    return null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lines, version]);

  const empty = rows === 0;
  const pinned = !hydrated && !empty;
  return (
    <section aria-label="Job log" className="min-w-0">
      <LogToolbar
        query={search.query}
        onQuery={search.setQuery}
        hits={search.matches.length}
        at={search.at}
        onStep={search.step}
        showTime={showTime}
        onShowTime={setShowTime}
        follow={follow}
        onFollow={setFollow}
        onTop={() => {
          setFollow(false);
          v.scrollToIndex(0, { align: "start" });
        }}
        onBottom={() => {
          setFollow(true);
          if (rows > 0) v.scrollToIndex(rows - 1, { align: "end" });
        }}
        rawUrl={rawUrl}
      />
      <LogNotices
        start={shownFrom.start}
        firstLine={shownFrom.firstLine}
        loading={loadingEarlier && !filling}
        onLoadEarlier={() => void earlier()}
        rawUrl={rawUrl}
        truncatedAt={truncated}
        showTime={showTime}
      />
      <div
        ref={box}
        onScroll={onScroll}
        onWheel={onWheel}
        onTouchMove={userInput}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        data-testid="job-log"
        role="log"
        aria-live="off"
        aria-label="Job log output"
        tabIndex={0}
        className={pinned ? "job-log job-log-pinned" : "job-log"}
      >
        {empty ? (
          <div className="p-4 text-zinc-400">
            {NOT_STARTED.has(status)
              ? "This job has not started yet. The log appears here as soon as a runner picks it up."
              : "No log output."}
          </div>
        ) : pinned ? (
          <PinnedTail
            lines={lines}
            visible={visible}
            partial={partial}
            tree={tree}
            isCollapsed={isCollapsed}
          />
        ) : (
          <div style={{ height: v.getTotalSize(), position: "relative" }}>
            {v.getVirtualItems().map((item) => {
              const idx = visible[item.index];
              const line = idx === undefined ? partial : lines[idx];
              if (!line) return null;
              const section = idx === undefined ? undefined : tree.sections.get(idx);
              const mark =
                idx !== undefined && idx === hit
                  ? "current"
                  : line.n === selected
                    ? "selected"
                    : idx !== undefined && matchSet.has(idx)
                      ? "match"
                      : null;
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={v.measureElement}
                  className="absolute top-0 left-0 w-full"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <LogRow
                    line={line}
                    section={section}
                    collapsed={section ? isCollapsed(section) : false}
                    onToggle={toggle}
                    showTime={showTime}
                    mark={mark}
                  />
                </div>
              );
            })}
          </div>
        )}
      </div>
      {pinned && <ShowPinnedBox />}
    </section>
  );
}
