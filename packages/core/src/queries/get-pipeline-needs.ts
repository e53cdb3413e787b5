import type { Db } from "@minilab/db";

/**
 * `needs:` of each job of a pipeline (job id → names of the jobs it needs), read from the planned
 * job in `jobs.spec`. Jobs without `needs:` (stage ordering) are absent; `needs: []` maps to [].
 */
export async function getPipelineNeeds(opts: { db: Db; pipelineId: number }): Promise<Map<number, string[]>> {
  const rows = await opts.db.job.findMany({
    where: { pipelineId: opts.pipelineId },
    select: { id: true, spec: true },
  });
  const out = new Map<number, string[]>();
  for (const r of rows) {
    const needs = readNeeds(r.spec);
    if (needs) out.set(r.id, needs);
  }
  return out;
}

function readNeeds(spec: unknown): string[] | null {
  const planned = (spec as { planned?: { needs?: unknown } } | null)?.planned;
  if (!planned || !Array.isArray(planned.needs)) return null;
  return planned.needs
    .map((n: unknown) => (typeof n === "string" ? n : (n as { name?: unknown } | null)?.name))
    .filter((n): n is string => typeof n === "string");
}
