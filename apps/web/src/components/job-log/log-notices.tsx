"use client";

const kb = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

/** What the reader should know about the log on screen: unloaded head, runner truncation, timestamps. */
export function LogNotices(p: {
  start: number;
  firstLine: number;
  loading: boolean;
  onLoadEarlier: () => void;
  rawUrl: string;
  truncatedAt: number | null;
  showTime: boolean;
}) {
  return (
    <>
      {p.truncatedAt !== null && (
        <p role="status" className="notice notice-warn" data-testid="log-truncated">
          This log is incomplete: the runner stopped collecting output after its {kb(p.truncatedAt)} job log
          limit.
        </p>
      )}
      {p.start > 0 && (
        <p className="notice" data-testid="log-partial">
          Showing the log from line {p.firstLine}; the first {kb(p.start)} are not loaded yet.{" "}
          <button type="button" className="link-button" onClick={p.onLoadEarlier} disabled={p.loading}>
            {p.loading ? "Loading…" : "Load earlier lines"}
          </button>{" "}
          or <a href={p.rawUrl}>view the complete raw log</a>.
        </p>
      )}
      {p.showTime && (
        <p className="notice" data-testid="log-timestamps-note">
          Stored logs carry no per-line timestamps. Section headers show the start time the runner recorded;
          lines that arrived while this page was open show when your browser received them (with ms).
        </p>
      )}
    </>
  );
}
