/**
 * The parts of the planned job (`jobs.spec.planned`) the runner needs beyond scripts and variables:
 * image entrypoint, services and tags. Read leniently: rows written before a field existed lack it.
 */
import type { JobSpec } from "@minilab/contracts";
import type { JobRowSpec } from "../pipelines/job-row-spec.ts";
import { jobTags } from "./job-tags.ts";

type Extras = Pick<JobSpec, "imageEntrypoint" | "services" | "tags">;

export function plannedExtras(row: JobRowSpec): Extras {
  const planned = row.planned as
    { image?: { entrypoint?: string[] | null }; services?: NonNullable<JobSpec["services"]> } | undefined;
  const out: Extras = { tags: jobTags(row) };
  const entrypoint = planned?.image?.entrypoint;
  if (Array.isArray(entrypoint)) out.imageEntrypoint = entrypoint;
  if (Array.isArray(planned?.services) && planned.services.length > 0)
    out.services = planned.services.map((s) => ({
      name: s.name,
      alias: s.alias ?? null,
      entrypoint: s.entrypoint ?? null,
      command: s.command ?? null,
    }));
  return out;
}
