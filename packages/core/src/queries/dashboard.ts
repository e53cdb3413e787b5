import type { Db } from "@minilab/db";
import { pipelineSelect, type PipelineView } from "./types.ts";

/** The newest pipeline of each project (one query: DISTINCT ON project_id). */
export async function latestPipelinesByProject(opts: {
  db: Db;
  projectIds: number[];
}): Promise<Map<number, PipelineView>> {
  if (opts.projectIds.length === 0) return new Map();
  const rows = await opts.db.pipeline.findMany({
    where: { projectId: { in: opts.projectIds } },
    distinct: ["projectId"],
    orderBy: [{ projectId: "asc" }, { id: "desc" }],
    select: pipelineSelect,
  });
  return new Map(rows.map((r) => [r.projectId, r]));
}

/** Recent pipelines across the given projects, newest first (the dashboard's activity feed). */
export async function recentPipelines(opts: {
  db: Db;
  projectIds: number[];
  limit: number;
}): Promise<PipelineView[]> {
  if (opts.projectIds.length === 0) return [];
  return opts.db.pipeline.findMany({
    where: { projectId: { in: opts.projectIds } },
    orderBy: { id: "desc" },
    take: opts.limit,
    select: pipelineSelect,
  });
}
