import type { Db } from "@minilab/db";
import { durationSeconds } from "./types.ts";

export interface ChartPipeline {
  id: number;
  iid: number;
  ref: string;
  status: string;
  createdAt: Date;
  /** Seconds from start to finish; null if it never ran. */
  duration: number | null;
}

export interface DailySuccess {
  /** YYYY-MM-DD (UTC). */
  day: string;
  success: number;
  failed: number;
  other: number;
}

/** The project's finished pipelines of the last `days` days, oldest first, for the charts page. */
export async function pipelineChartData(opts: {
  db: Db;
  projectId: number;
  days: number;
  now?: Date;
}): Promise<{ pipelines: ChartPipeline[]; daily: DailySuccess[] }> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - opts.days * 86_400_000);
  const rows = await opts.db.pipeline.findMany({
    where: { projectId: opts.projectId, createdAt: { gte: since }, finishedAt: { not: null } },
    orderBy: { id: "asc" },
    take: 5000,
    select: {
      id: true,
      iid: true,
      ref: true,
      status: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
    },
  });
  const pipelines = rows.map((r) => ({
    id: r.id,
    iid: r.iid,
    ref: r.ref,
    status: r.status,
    createdAt: r.createdAt,
    duration: durationSeconds(r.startedAt, r.finishedAt),
  }));
  const byDay = new Map<string, DailySuccess>();
  for (let d = opts.days - 1; d >= 0; d--) {
    const day = new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, success: 0, failed: 0, other: 0 });
  }
  for (const p of pipelines) {
    const e = byDay.get(p.createdAt.toISOString().slice(0, 10));
    if (!e) continue;
    if (p.status === "success") e.success++;
    else if (p.status === "failed") e.failed++;
    else e.other++;
  }
  return { pipelines, daily: [...byDay.values()] };
}
