/**
 * A job's runner tags, read from its `jobs.spec` column: `planned.tags` (the planner's PlannedJob) or a
 * top-level `tags`. Read leniently — a malformed value means "untagged", never a failed dispatch.
 */
import { normalizeTags } from "@minilab/contracts";

export function jobTags(spec: unknown): string[] {
  const o = typeof spec === "object" && spec !== null ? (spec as Record<string, unknown>) : {};
  const planned = o["planned"];
  const fromPlanned =
    typeof planned === "object" && planned !== null
      ? (planned as Record<string, unknown>)["tags"]
      : undefined;
  const raw = Array.isArray(o["tags"]) ? o["tags"] : fromPlanned;
  return Array.isArray(raw) ? normalizeTags(raw.filter((t): t is string => typeof t === "string")) : [];
}

/** Why a runner may not take a job, or null when it may. */
export function tagMismatch(
  job: readonly string[],
  runner: { tags: readonly string[]; runUntagged: boolean },
): string | null {
  if (job.length === 0)
    return runner.runUntagged ? null : "the runner does not run untagged jobs (run_untagged is off)";
  const missing = job.filter((t) => !runner.tags.includes(t));
  return missing.length === 0 ? null : `the runner lacks tag(s) ${missing.join(", ")}`;
}
