/** Display helpers shared by pages; deterministic so server and client render the same text. */

/** `hh:mm:ss` like GitLab's pipeline table, or "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(h)}:${pad(m)}:${pad(r)}`;
}

/** "5 minutes ago" relative to `now`. */
export function timeAgo(date: Date, now = new Date()): string {
  const secs = Math.round((now.getTime() - date.getTime()) / 1000);
  if (secs < 45) return "just now";
  const units: [number, string][] = [
    [60, "minute"],
    [3600, "hour"],
    [86400, "day"],
    [2592000, "month"],
    [31536000, "year"],
  ];
  let chosen: [number, string] = units[0]!;
  for (const u of units) if (secs >= u[0]) chosen = u;
  const n = Math.max(1, Math.round(secs / chosen[0]));
  return `${n} ${chosen[1]}${n === 1 ? "" : "s"} ago`;
}

export const shortSha = (sha: string): string => sha.slice(0, 8);

/** ISO timestamp for `<time dateTime>` and a readable UTC title. */
export const isoTitle = (d: Date): string =>
  d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");
