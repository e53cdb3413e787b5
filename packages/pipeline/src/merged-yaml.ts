/**
 * The merged configuration as YAML text (GitLab's `merged_yaml`): includes merged, `!reference`
 * and `extends` resolved, hidden jobs kept. Stored on every pipeline and shown by CI lint.
 */
import { stringify } from "yaml";
import type { PipelineConfig } from "./types.ts";

export function mergedYaml(config: Pick<PipelineConfig, "merged">): string {
  // No aliases: the text must read on its own; lineWidth 0 keeps long scripts on one line.
  return stringify(config.merged, { aliasDuplicateObjects: false, lineWidth: 0 });
}
