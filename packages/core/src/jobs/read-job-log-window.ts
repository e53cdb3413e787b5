/**
 * Line-aligned windows of a stored job log, so a page can open a 50 MB log on its last lines and
 * fetch earlier parts on demand without reading the whole log.
 *
 * A window `[start, end)` always starts at a line start (offset 0 or just after a `\n`), and its
 * `firstLine` is the 1-based number of the line at `start` in the whole log. `\n` never occurs inside
 * a multi-byte UTF-8 character, so a line-aligned start is also a character boundary.
 *
 * Line numbers cost no scan of earlier chunks: each chunk stores the running newline count up to its
 * end (`newlines_end`, see log-chunks.ts), so the count before `start` is the count at the end of the
 * chunk holding it minus the newlines in that chunk's bytes from `start` on.
 */
import type { Db } from "@minilab/db";
import { countNewlines } from "./log-chunks.ts";

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
  const { bytes: raw, newlinesBefore } = await readRange(db, jobId, from, end);
  if (from === 0) return { start: 0, end: raw.length, firstLine: 1, bytes: raw };
  // Drop the partial first line; the line at the aligned start follows the first newline.
  const nl = raw.indexOf(0x0a);
  if (nl < 0)
    return {
      start: from + raw.length,
      end: from + raw.length,
      firstLine: newlinesBefore + countNewlines(raw) + 1,
      bytes: raw.subarray(0, 0),
    };
  return {
    start: from + nl + 1,
    end: from + raw.length,
    firstLine: newlinesBefore + 2,
    bytes: raw.subarray(nl + 1),
  };
}

/** Bytes `[from, to)` and the number of newlines in the log before `from`. */
async function readRange(
  db: Db,
  jobId: number,
  from: number,
  to: number,
): Promise<{ bytes: Buffer; newlinesBefore: number }> {
  const chunks =
    to > from
      ? await db.$queryRaw<{ offset: number; data: Uint8Array; newlines_end: number }[]>`
          SELECT "offset", data, newlines_end FROM job_log_chunks
          WHERE job_id = ${jobId} AND "offset" + length(data) > ${from} AND "offset" < ${to}
          ORDER BY "offset"`
      : [];
  const first = chunks[0];
  if (!first) return { bytes: Buffer.alloc(0), newlinesBefore: await newlinesBeforeOffset(db, jobId, from) };
  const all = Buffer.concat(chunks.map((c) => c.data));
  const skip = Math.max(0, from - first.offset);
  return {
    bytes: all.subarray(skip, to - first.offset),
    newlinesBefore: first.newlines_end - countNewlines(first.data.subarray(skip)),
  };
}

/** Newlines before `offset` when no chunk reaches past it: the running count of the last chunk. */
async function newlinesBeforeOffset(db: Db, jobId: number, offset: number): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT newlines_end AS n FROM job_log_chunks
    WHERE job_id = ${jobId} AND "offset" < ${offset} ORDER BY "offset" DESC LIMIT 1`;
  return rows[0]?.n ?? 0;
}
