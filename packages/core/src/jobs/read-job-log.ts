import type { Db } from "@minilab/db";

export interface ReadJobLogOptions {
  db: Db;
  jobId: number;
  /** Byte offset to start from. @defaultValue 0 */
  from?: number;
}

/** The stored log from byte `from` on. Only chunks that reach past `from` are read. */
export async function readJobLog({ db, jobId, from = 0 }: ReadJobLogOptions): Promise<Buffer> {
  const chunks = await db.$queryRaw<{ offset: number; data: Uint8Array }[]>`
    SELECT "offset", data FROM job_log_chunks
    WHERE job_id = ${jobId} AND "offset" + length(data) > ${from}
    ORDER BY "offset"`;
  const all = Buffer.concat(chunks.map((c) => c.data));
  const first = chunks[0];
  return first && first.offset < from ? all.subarray(from - first.offset) : all;
}
