/**
 * What the job page sends with its HTML: only the last lines of the stored window it read. The server
 * renders them (the tail is in the first paint, see components/job-log/log-tail.tsx) and the browser
 * parses them again to hydrate, so every byte sent here is paid for twice before the page is
 * usable; the rest of the window is fetched right after hydration (log-viewer.tsx).
 */

/**
 * Lines sent with the page: enough to fill the log box (at most 65vh and 100vh − 25rem) on screens up
 * to 1,400 CSS px high; on taller ones the box's top fills in once the page runs. Each row is layout
 * work before the first paint (replaying the page: 40 rows instead of 80 painted ≈ 20 ms sooner).
 */
export const PINNED_ROWS = 50;

/**
 * Where the last `lines` lines of `bytes` begin (a last line without its `\n` counts as a line), and
 * how many lines come before that point.
 */
export function lastLines(bytes: Uint8Array, lines: number): { start: number; linesBefore: number } {
  // `end` walks back over newlines; a final newline ends the last line rather than starting one.
  let end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length;
  for (let n = 0; n < lines; n++) {
    const nl = end > 0 ? bytes.lastIndexOf(0x0a, end - 1) : -1;
    if (nl < 0) return { start: 0, linesBefore: 0 };
    end = nl;
  }
  let linesBefore = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i <= end; i = bytes.indexOf(0x0a, i + 1)) linesBefore++;
  return { start: end + 1, linesBefore };
}
