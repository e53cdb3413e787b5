import { coreConfig } from "../config.ts";
import { readPipelineVariables } from "../pipelines/job-row-spec.ts";
import type { ScheduleInfo } from "./manage-schedules.ts";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** GitLab's pipeline schedule JSON; `variables` only on the single-schedule answers, as GitLab. */
export function toApiSchedule(s: ScheduleInfo, opts: { variables?: boolean } = {}) {
  const base = coreConfig().externalUrl;
  return {
    id: s.id,
    description: s.description,
    ref: s.ref,
    cron: s.cron,
    cron_timezone: s.cronTimezone,
    next_run_at: iso(s.nextRunAt),
    active: s.active,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
    owner: s.owner
      ? {
          id: s.owner.id,
          username: s.owner.username,
          name: s.owner.name,
          state: "active",
          avatar_url: null,
          web_url: `${base}/${s.owner.username}`,
        }
      : null,
    last_pipeline: s.lastPipeline
      ? {
          id: s.lastPipeline.id,
          iid: s.lastPipeline.iid,
          sha: s.lastPipeline.sha,
          ref: s.lastPipeline.ref,
          status: s.lastPipeline.status,
        }
      : null,
    ...(opts.variables
      ? {
          variables: readPipelineVariables(s.variables).map((v) => ({
            key: v.key,
            value: v.value,
            variable_type: "env_var",
            raw: false,
          })),
        }
      : {}),
  };
}
