/**
 * Which earlier jobs' artifacts a job receives, GitLab's rules:
 * - `needs:` set → the needed jobs whose need has `artifacts: true` (the default);
 * - otherwise every job of an earlier stage;
 * - `dependencies:` narrows that list (`dependencies: []` → none).
 * A retried job appears once per name in a pipeline's history; the newest row of each name wins.
 * The same set supplies `reports:dotenv` variables, in dependency order (later ones win).
 */
import type { ArtifactDependency, JobVariable } from "@minilab/contracts";
import type { Db } from "@minilab/db";

type Tx = Pick<Db, "job" | "jobArtifact">;

export interface DependencyArtifacts {
  dependencies: ArtifactDependency[];
  dotenv: JobVariable[];
}

export async function dependencyArtifacts(
  tx: Tx,
  job: { id: number; pipelineId: number; stageIdx: number },
  planned: unknown,
  now = new Date(),
): Promise<DependencyArtifacts> {
  const p = (typeof planned === "object" && planned !== null ? planned : {}) as {
    needs?: { name: string; artifacts?: boolean }[] | null;
    dependencies?: string[] | null;
  };
  // Nothing to look up: a first-stage job without needs, `needs: []`, or `dependencies: []`.
  const none =
    (Array.isArray(p.needs) ? p.needs.length === 0 : job.stageIdx === 0) ||
    (Array.isArray(p.dependencies) && p.dependencies.length === 0);
  if (none) return { dependencies: [], dotenv: [] };
  const candidates = await tx.job.findMany({
    where: {
      pipelineId: job.pipelineId,
      id: { not: job.id },
      ...(Array.isArray(p.needs) ? {} : { stageIdx: { lt: job.stageIdx } }),
    },
    select: { id: true, name: true },
    orderBy: { id: "asc" },
  });
  const newest = new Map<string, number>();
  for (const c of candidates) newest.set(c.name, c.id);
  let names = Array.isArray(p.needs)
    ? p.needs.filter((n) => n.artifacts !== false).map((n) => n.name)
    : [...newest.keys()];
  if (Array.isArray(p.dependencies)) {
    const allowed = new Set(p.dependencies);
    names = names.filter((n) => allowed.has(n));
  }
  const ids = names.map((n) => newest.get(n)).filter((id): id is number => id !== undefined);
  if (ids.length === 0) return { dependencies: [], dotenv: [] };
  const rows = await tx.jobArtifact.findMany({
    where: { jobId: { in: ids }, OR: [{ expireAt: null }, { expireAt: { gt: now } }] },
    select: { jobId: true, fileType: true, size: true, variables: true },
  });
  const nameOf = new Map(candidates.map((c) => [c.id, c.name]));
  const dependencies: ArtifactDependency[] = [];
  const dotenv: JobVariable[] = [];
  for (const id of ids) {
    for (const r of rows.filter((row) => row.jobId === id)) {
      if (r.fileType === "archive") dependencies.push({ id, name: nameOf.get(id) ?? "", size: r.size });
      else if (r.fileType === "dotenv" && typeof r.variables === "object" && r.variables !== null)
        for (const [key, value] of Object.entries(r.variables))
          if (typeof value === "string") dotenv.push({ key, value, masked: false });
    }
  }
  return { dependencies, dotenv };
}
