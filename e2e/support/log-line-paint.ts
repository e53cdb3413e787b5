/**
 * An init script recording when a job log row is first painted inside the viewport: Element Timing
 * on the first `.log-text` whose text (spaces normalised: rows may hold non-breaking ones) contains
 * `text`, marked as the parser inserts it or the page's scripts render it. The paint time, by the
 * page's clock like FCP, lands in `window.logLinePaint`. Used by the job log e2e spec and the log
 * benchmark. A string, not a function: tsx would wrap named closures in a `__name` helper the page
 * lacks.
 */
export function logLinePaintScript(text: string): string {
  return `(() => {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.identifier === "log-line" && e.intersectionRect.height > 0 && window.logLinePaint === undefined)
        window.logLinePaint = e.renderTime || e.startTime;
  }).observe({ type: "element", buffered: true });
  new MutationObserver(() => {
    for (const e of document.getElementsByClassName("log-text"))
      if (!e.hasAttribute("elementtiming") && e.textContent.replace(/\\s/g, " ").includes(${JSON.stringify(text)}))
        e.setAttribute("elementtiming", "log-line");
  }).observe(document, { childList: true, subtree: true });
})();`;
}

/** What {@link logLinePaintScript} recorded on the page, if anything yet. */
export const readLogLinePaint = (): number | undefined => (window as { logLinePaint?: number }).logLinePaint;
