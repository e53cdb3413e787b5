/**
 * Which repository facts planning a config needs, so callers doing I/O fetch only those: the file list
 * (`rules:exists`), the push's changed files (`rules:changes`, `only`/`except:changes`) and one diff
 * per `rules:changes:compare_to` ref.
 */
import type { OnlyExcept, PipelineConfig, Rule } from "./types.ts";

export interface PlanInputs {
  fileList: boolean;
  changedFiles: boolean;
  /** Distinct `compare_to` refs, as written. */
  compareTo: string[];
}

export function planInputs(config: PipelineConfig): PlanInputs {
  const rules: Rule[] = [...(config.workflow.rules ?? []), ...config.jobs.flatMap((j) => j.rules ?? [])];
  const filters: OnlyExcept[] = config.jobs.flatMap((j) => [j.only, j.except].filter((f) => f !== null));
  const compareTo = new Set<string>();
  for (const r of rules) if (r.changes?.compareTo != null) compareTo.add(r.changes.compareTo);
  return {
    fileList: rules.some((r) => r.exists !== null),
    changedFiles:
      rules.some((r) => r.changes !== null && r.changes.compareTo === null) ||
      filters.some((f) => f.changes !== null),
    compareTo: [...compareTo],
  };
}
