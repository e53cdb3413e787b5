import type { Db } from "@minilab/db";
import { pipelineSelect, type PipelineView } from "./types.ts";

/**
 * The newest pipeline (highest id) of each ref in `refs`, keyed by ref name. One query: Postgres'
 * DISTINCT ON picks the first row per ref in (ref, id desc) order.
 */
export async function latestPipelinesByRef(opts: {
  db: Db;
  projectId: number;
  refs: string[];
  /** Only tag pipelines (true) or only branch pipelines (false); both when omitted. */
  tag?: boolean;
}): Promise<Map<string, PipelineView>> {
  if (opts.refs.length === 0) return new Map();
  const rows = await opts.db.pipeline.findMany({
    where: {
      projectId: opts.projectId,
      ref: { in: opts.refs },
      ...(opts.tag !== undefined ? { tag: opts.tag } : {}),
    },
    distinct: ["ref"],
    orderBy: [{ ref: "asc" }, { id: "desc" }],
    select: pipelineSelect,
  });
  return new Map(rows.map((r) => [r.ref, r]));
}
