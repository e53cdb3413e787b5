/** Byte offset from `Last-Event-ID` (reconnects) or `?from=` (first connect after server render). */
export function resumeOffset(req: Request): number {
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("from") ?? "0";
  const n = /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
  return Number.isSafeInteger(n) ? n : 0;
}
