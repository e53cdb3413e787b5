/**
 * Line-aligned windows of a stored job log, so a page can open a 50 MB log on its last lines and
 * fetch earlier parts on demand without reading the whole log.
 *
 * A window `[start, end)` always starts at a line start (offset 0 or just after a `\n`), and its
 * `firstLine` is the 1-based number of the line at `start` in the whole log. `\n` never occurs inside
 * a multi-byte UTF-8 character, so a line-aligned start is also a character boundary.
 */
import type { Db } from "@minilab/db";

export interface JobLogWindow {
  start: number;
  end: number;
  /** 1-based line number of the line beginning at `start`. */
  firstLine: number;
  bytes: Buffer;
}

export interface ReadJobLogWindowOptions {
  db: Db;
  jobId: number;
  /** Exclusive end offset; the window holds bytes before it. */
  end: number;
  /** At most this many bytes (fewer once aligned to a line start). */
  limit: number;
}

export async function readJobLogWindow({
  db,
  jobId,
  end,
  limit,
}: ReadJobLogWindowOptions): Promise<JobLogWindow> {
  const from = Math.max(0, end - limit);
  const [raw, before] = await Promise.all([
    readRange(db, jobId, from, end),
    from > 0 ? countNewlines(db, jobId, from) : Promise.resolve(0),
  ]);
  if (from === 0) return { start: 0, end: from + raw.length, firstLine: 1, bytes: raw };
  // Drop the partial first line; the line number counts the newlines before the aligned start.
  const nl = raw.indexOf(0x0a);
  if (nl < 0)
    return {
      start: from + raw.length,
      end: from + raw.length,
      firstLine: before + 1,
      bytes: raw.subarray(0, 0),
    };
  return { start: from + nl + 1, end: from + raw.length, firstLine: before + 2, bytes: raw.subarray(nl + 1) };
}

async function readRange(db: Db, jobId: number, from: number, to: number): Promise<Buffer> {
  if (to <= from) return Buffer.alloc(0);
  const chunks = await db.$queryRaw<{ offset: number; data: Uint8Array }[]>`
    SELECT "offset", data FROM job_log_chunks
    WHERE job_id = ${jobId} AND "offset" + length(data) > ${from} AND "offset" < ${to}
    ORDER BY "offset"`;
  const first = chunks[0];
  if (!first) return Buffer.alloc(0);
  const all = Buffer.concat(chunks.map((c) => c.data));
  return all.subarray(Math.max(0, from - first.offset), to - first.offset);
}

/**
 * Newlines in bytes `[0, before)`, counted in Postgres so a 50 MB log is not shipped to the web
 * process (≈ 0.8 s for 50 MB, hence the cache: a finished job's count is computed once per process). `encode(…, 'escape')` keeps 0x0a as a literal newline (it escapes only NUL, high-bit
 * bytes and backslashes), so the length difference after removing newlines counts them.
 */
async function countNewlines(db: Db, jobId: number, before: number): Promise<number> {
  const key = `${jobId}:${before}`;
  const hit = newlineCache.get(key);
  if (hit !== undefined) return hit;
  const n = await countNewlinesInDb(db, jobId, before);
  // Bytes below a stored offset never change (logs are append-only), so the count is final.
  newlineCache.set(key, n);
  if (newlineCache.size > NEWLINE_CACHE_MAX) newlineCache.delete(newlineCache.keys().next().value ?? "");
  return n;
}

/** Newline counts of log prefixes, by `jobId:offset`; insertion-ordered, oldest evicted first. */
const newlineCache = new Map<string, number>();
const NEWLINE_CACHE_MAX = 2000;

async function countNewlinesInDb(db: Db, jobId: number, before: number): Promise<number> {
  const rows = await db.$queryRaw<{ n: bigint | null }[]>`
    SELECT sum(length(e) - length(replace(e, E'\n', ''))) AS n FROM (
      SELECT encode(CASE WHEN "offset" + length(data) > ${before}
                         THEN substring(data FROM 1 FOR ${before} - "offset") ELSE data END, 'escape') AS e
      FROM job_log_chunks WHERE job_id = ${jobId} AND "offset" < ${before}) c`;
  return Number(rows[0]?.n ?? 0);
}
