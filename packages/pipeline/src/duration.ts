/**
 * GitLab duration strings (`timeout`, `start_in`, `expire_in`) → seconds: `3600`, `1h 30m`,
 * `2 hours 5 minutes`, `1 day`, `30 seconds`, `1w`. null when not a duration.
 */
const UNIT_SECONDS: [RegExp, number][] = [
  [/^(s|secs?|seconds?)$/, 1],
  [/^(m|mins?|minutes?)$/, 60],
  [/^(h|hrs?|hours?)$/, 3600],
  [/^(d|days?)$/, 86400],
  [/^(w|wks?|weeks?)$/, 604800],
  [/^(mo|months?)$/, 2592000],
  [/^(y|yrs?|years?)$/, 31536000],
];

export function parseDuration(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
  if (typeof value !== "string") return null;
  const text = value
    .trim()
    .toLowerCase()
    .replace(/\band\b|,/g, " ");
  if (text === "") return null;
  if (/^\d+$/.test(text)) return Number(text);
  // `hh:mm:ss` / `mm:ss`
  if (/^\d+(:\d{1,2}){1,2}$/.test(text))
    return text.split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
  let total = 0;
  const re = /(\d+(?:\.\d+)?)\s*([a-z]+)/y;
  let pos = 0;
  while (pos < text.length) {
    while (text[pos] === " ") pos++;
    if (pos >= text.length) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    const unit = UNIT_SECONDS.find(([u]) => u.test(m[2] ?? ""));
    if (!unit) return null;
    total += Number(m[1]) * unit[1];
    pos = re.lastIndex;
  }
  return Math.round(total);
}
