/**
 * GitLab REST API v4 shapes (field names as GitLab documents them) for projects, pipelines and
 * jobs, so existing GitLab clients and scripts work against minilab. Pure functions of their input;
 * `baseUrl` defaults to the configured external URL.
 */
import { coreConfig } from "../config.ts";
import {
  durationSeconds,
  type JobView,
  type JobWithPipeline,
  type PipelineView,
  type ProjectRef,
} from "./types.ts";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const projectWebPath = (p: Pick<ProjectRef, "namespace" | "path">): string =>
  `/${p.namespace}/${p.path}`;

export function toApiProject(project: ProjectRef, baseUrl = coreConfig().externalUrl) {
  const web = `${baseUrl}${projectWebPath(project)}`;
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: `${project.namespace} / ${project.name}`,
    path: project.path,
    path_with_namespace: `${project.namespace}/${project.path}`,
    created_at: iso(project.createdAt),
    default_branch: project.defaultBranch,
    visibility: project.visibility,
    ...(project.buildTimeout !== undefined ? { build_timeout: project.buildTimeout } : {}),
    ...(project.ciSeparatedCaches !== undefined ? { ci_separated_caches: project.ciSeparatedCaches } : {}),
    ...(project.publicBuilds !== undefined
      ? { public_builds: project.publicBuilds, public_jobs: project.publicBuilds }
      : {}),
    web_url: web,
    http_url_to_repo: `${web}.git`,
    namespace: {
      name: project.namespace,
      path: project.namespace,
      kind: "user",
      full_path: project.namespace,
      web_url: `${baseUrl}/${project.namespace}`,
    },
  };
}

/** List entries carry GitLab's short form; the single-pipeline endpoint adds the detail fields. */
export function toApiPipeline(
  pipeline: PipelineView,
  project: ProjectRef,
  baseUrl = coreConfig().externalUrl,
) {
  const duration = pipeline.finishedAt ? durationSeconds(pipeline.startedAt, pipeline.finishedAt) : null;
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    project_id: pipeline.projectId,
    sha: pipeline.sha,
    before_sha: pipeline.beforeSha,
    ref: pipeline.ref,
    tag: pipeline.tag,
    status: pipeline.status,
    source: pipeline.source,
    yaml_errors: pipeline.yamlErrors,
    created_at: iso(pipeline.createdAt),
    updated_at: iso(pipeline.updatedAt),
    started_at: iso(pipeline.startedAt),
    finished_at: iso(pipeline.finishedAt),
    duration: duration === null ? null : Math.round(duration),
    web_url: `${baseUrl}${projectWebPath(project)}/-/pipelines/${pipeline.id}`,
    // minilab extension: GitLab's "passed with warnings" (its UI shows it; its API has no field).
    warnings: pipeline.warnings,
  };
}

type ApiJobInput = JobView & {
  pipeline: JobWithPipeline["pipeline"];
  /** Why a waiting job is not running yet (see pending-reason.ts); omitted when unknown. */
  pendingReason?: string | null;
};

export function toApiJob(job: ApiJobInput, project: ProjectRef, baseUrl = coreConfig().externalUrl) {
  return {
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: job.status,
    ref: job.pipeline.ref,
    tag: job.pipeline.tag,
    allow_failure: job.allowFailure,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    duration: durationSeconds(job.startedAt, job.finishedAt),
    queued_duration: job.queuedAt ? durationSeconds(job.queuedAt, job.startedAt) : null,
    failure_reason: job.status === "failed" ? (job.failureReason ?? "script_failure") : undefined,
    // minilab extensions (not in GitLab's job JSON).
    retried: job.retried,
    scheduled_at: iso(job.scheduledAt),
    ...(job.pendingReason !== undefined ? { pending_reason: job.pendingReason } : {}),
    web_url: `${baseUrl}${projectWebPath(project)}/-/jobs/${job.id}`,
    pipeline: {
      id: job.pipeline.id,
      iid: job.pipeline.iid,
      project_id: project.id,
      ref: job.pipeline.ref,
      sha: job.pipeline.sha,
      status: job.pipeline.status,
    },
  };
}
