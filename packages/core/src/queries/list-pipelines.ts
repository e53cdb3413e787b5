import type { Db } from "@minilab/db";
import { pipelineSelect, type Page, type PipelineView } from "./types.ts";

/** A project's pipelines, newest first. `page` is 1-based. */
export async function listPipelines(opts: {
  db: Db;
  projectId: number;
  page: number;
  perPage: number;
}): Promise<Page<PipelineView>> {
  const { db, projectId } = opts;
  const page = Math.max(1, Math.floor(opts.page));
  const perPage = Math.max(1, Math.floor(opts.perPage));
  const [items, total] = await Promise.all([
    db.pipeline.findMany({
      where: { projectId },
      orderBy: { id: "desc" },
      skip: (page - 1) * perPage,
      take: perPage,
      select: pipelineSelect,
    }),
    db.pipeline.count({ where: { projectId } }),
  ]);
  return { items, total, page, perPage };
}
