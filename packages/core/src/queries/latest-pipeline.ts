import type { Db } from "@minilab/db";
import { pipelineSelect, type PipelineView } from "./types.ts";

/** The project's most recently created pipeline (optionally for one ref), or null. */
export async function latestPipeline(opts: {
  db: Db;
  projectId: number;
  ref?: string;
}): Promise<PipelineView | null> {
  return opts.db.pipeline.findFirst({
    where: { projectId: opts.projectId, ...(opts.ref !== undefined ? { ref: opts.ref } : {}) },
    orderBy: { id: "desc" },
    select: pipelineSelect,
  });
}
