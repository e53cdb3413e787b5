/**
 * Storing one log chunk with its running newline count (`newlines_end`: newlines from byte 0 to the
 * chunk's end), which makes the line number at any offset a look-up (read-job-log-window.ts).
 *
 * Callers hold the job row lock (their compare-and-set on `jobs.log_size` in the same transaction),
 * so the chunk before `offset` is committed and no other chunk of the job is being written: the
 * previous running count read here is final.
 */
import type { Prisma } from "@minilab/db";

export function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

export async function insertLogChunk(
  tx: Prisma.TransactionClient,
  jobId: number,
  offset: number,
  data: Uint8Array,
): Promise<void> {
  const bytes = new Uint8Array(data);
  await tx.$executeRaw`
    INSERT INTO job_log_chunks (job_id, "offset", data, newlines_end)
    SELECT ${jobId}, ${offset}, ${bytes}, ${countNewlines(bytes)} + coalesce((
      SELECT newlines_end FROM job_log_chunks
      WHERE job_id = ${jobId} AND "offset" < ${offset} ORDER BY "offset" DESC LIMIT 1), 0)`;
}
