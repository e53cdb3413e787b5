/**
 * GitLab's webhook payloads (https://docs.gitlab.com/user/project/integrations/webhook_events/):
 * Push Hook, Tag Push Hook, Pipeline Hook, Job Hook. Pure functions of rows; field names and shapes as
 * GitLab documents them. User e-mail addresses are `[REDACTED]`, as GitLab sends them to hooks.
 */
import type { Job, Pipeline, Project, PushEvent, Runner, User } from "@minilab/db";
import type { PushCommit } from "@minilab/git";
import { coreConfig } from "../config.ts";
import { readPipelineVariables } from "../pipelines/job-row-spec.ts";

export type HookKind = "push_events" | "tag_push_events" | "pipeline_events" | "job_events";

export const HOOK_EVENT_NAMES: Record<HookKind, string> = {
  push_events: "Push Hook",
  tag_push_events: "Tag Push Hook",
  pipeline_events: "Pipeline Hook",
  job_events: "Job Hook",
};

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
/** GitLab's webhook timestamps: `2024-01-01 12:00:00 UTC`. */
const utc = (d: Date | null | undefined): string | null =>
  d ? `${d.toISOString().slice(0, 19).replace("T", " ")} UTC` : null;
const seconds = (a: Date | null, b: Date | null): number | null =>
  a && b ? Math.max(0, (b.getTime() - a.getTime()) / 1000) : null;
const VISIBILITY_LEVEL = { private: 0, internal: 10, public: 20 } as const;

type UserRef = Pick<User, "id" | "name" | "username"> | null;

export function hookUser(u: UserRef) {
  return u ? { id: u.id, name: u.name, username: u.username, avatar_url: null, email: "[REDACTED]" } : null;
}

export function hookProject(p: Project, base = coreConfig().externalUrl) {
  const web = `${base}/${p.namespace}/${p.path}`;
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    web_url: web,
    avatar_url: null,
    git_ssh_url: `${web}.git`,
    git_http_url: `${web}.git`,
    namespace: p.namespace,
    visibility_level: VISIBILITY_LEVEL[p.visibility],
    path_with_namespace: `${p.namespace}/${p.path}`,
    default_branch: p.defaultBranch,
    ci_config_path: "",
    homepage: web,
    url: `${web}.git`,
    ssh_url: `${web}.git`,
    http_url: `${web}.git`,
  };
}

function hookRepository(p: Project, base = coreConfig().externalUrl) {
  const web = `${base}/${p.namespace}/${p.path}`;
  return {
    name: p.name,
    url: `${web}.git`,
    description: p.description,
    homepage: web,
    git_http_url: `${web}.git`,
    git_ssh_url: `${web}.git`,
    visibility_level: VISIBILITY_LEVEL[p.visibility],
  };
}

export function pushPayload(opts: {
  event: Pick<PushEvent, "ref" | "oldSha" | "newSha">;
  project: Project;
  user: (UserRef & { email?: string }) | null;
  commits: PushCommit[];
  totalCommits: number;
  refProtected: boolean;
}) {
  const { event, project, user } = opts;
  const tag = event.ref.startsWith("refs/tags/");
  const web = `${coreConfig().externalUrl}/${project.namespace}/${project.path}`;
  const deleted = /^0+$/.test(event.newSha);
  return {
    object_kind: tag ? "tag_push" : "push",
    event_name: tag ? "tag_push" : "push",
    before: event.oldSha,
    after: event.newSha,
    ref: event.ref,
    ref_protected: opts.refProtected,
    checkout_sha: deleted ? null : event.newSha,
    message: null,
    user_id: user?.id ?? null,
    user_name: user?.name ?? null,
    user_username: user?.username ?? null,
    user_email: user ? "[REDACTED]" : null,
    user_avatar: null,
    project_id: project.id,
    project: hookProject(project),
    commits: opts.commits.map((c) => ({
      id: c.sha,
      message: c.message,
      title: c.title,
      timestamp: c.authoredAt.toISOString(),
      url: `${web}/-/commit/${c.sha}`,
      author: { name: c.authorName, email: "[REDACTED]" },
      added: c.added,
      modified: c.modified,
      removed: c.removed,
    })),
    total_commits_count: opts.totalCommits,
    push_options: {},
    repository: hookRepository(project),
  };
}

type JobWithRunner = Job & { runner: Pick<Runner, "id" | "description" | "active" | "tags"> | null };

function hookRunner(r: JobWithRunner["runner"]) {
  return r
    ? {
        id: r.id,
        description: r.description,
        runner_type: "instance_type",
        active: r.active,
        is_shared: true,
        tags: r.tags,
      }
    : null;
}

function pipelineCommit(pipeline: Pipeline, project: Project) {
  const web = `${coreConfig().externalUrl}/${project.namespace}/${project.path}`;
  return {
    id: pipeline.sha,
    message: pipeline.commitMessage,
    title: pipeline.commitTitle,
    timestamp: iso(pipeline.createdAt),
    url: `${web}/-/commit/${pipeline.sha}`,
    author: { name: pipeline.commitAuthorName, email: "[REDACTED]" },
  };
}

export function pipelinePayload(opts: {
  pipeline: Pipeline;
  /** The status this event announces (the row may have moved on since). */
  status: string;
  jobs: JobWithRunner[];
  project: Project;
  user: UserRef;
}) {
  const { pipeline, project } = opts;
  const web = `${coreConfig().externalUrl}/${project.namespace}/${project.path}`;
  return {
    object_kind: "pipeline",
    object_attributes: {
      id: pipeline.id,
      iid: pipeline.iid,
      name: null,
      ref: pipeline.ref,
      tag: pipeline.tag,
      sha: pipeline.sha,
      before_sha: pipeline.beforeSha,
      source: pipeline.source,
      status: opts.status,
      detailed_status: opts.status,
      stages: pipeline.stages,
      created_at: utc(pipeline.createdAt),
      finished_at: utc(pipeline.finishedAt),
      duration: seconds(pipeline.startedAt, pipeline.finishedAt),
      queued_duration: seconds(pipeline.createdAt, pipeline.startedAt),
      variables: readPipelineVariables(pipeline.variables).map((v) => ({ key: v.key, value: v.value })),
      url: `${web}/-/pipelines/${pipeline.id}`,
    },
    merge_request: null,
    user: hookUser(opts.user),
    project: hookProject(project),
    commit: pipelineCommit(pipeline, project),
    source_pipeline: null,
    builds: opts.jobs.map((j) => ({
      id: j.id,
      stage: j.stage,
      name: j.name,
      status: j.status,
      created_at: utc(j.createdAt),
      started_at: utc(j.startedAt),
      finished_at: utc(j.finishedAt),
      duration: seconds(j.startedAt, j.finishedAt),
      queued_duration: seconds(j.queuedAt, j.startedAt),
      failure_reason: j.status === "failed" ? (j.failureReason ?? "script_failure") : null,
      when: j.when,
      manual: j.when === "manual",
      allow_failure: j.allowFailure,
      user: hookUser(opts.user),
      runner: hookRunner(j.runner),
      artifacts_file: { filename: null, size: null },
      environment: null,
    })),
  };
}

export function jobPayload(opts: {
  job: JobWithRunner;
  status: string;
  pipeline: Pipeline;
  project: Project;
  user: UserRef;
}) {
  const { job, pipeline, project } = opts;
  return {
    object_kind: "build",
    ref: pipeline.ref,
    tag: pipeline.tag,
    before_sha: pipeline.beforeSha,
    sha: pipeline.sha,
    retries_count: 0,
    build_id: job.id,
    build_name: job.name,
    build_stage: job.stage,
    build_status: opts.status,
    build_created_at: utc(job.createdAt),
    build_started_at: utc(job.startedAt),
    build_finished_at: utc(job.finishedAt),
    build_duration: seconds(job.startedAt, job.finishedAt),
    build_queued_duration: seconds(job.queuedAt, job.startedAt),
    build_allow_failure: job.allowFailure,
    build_failure_reason:
      opts.status === "failed" ? (job.failureReason ?? "script_failure") : "unknown_failure",
    pipeline_id: pipeline.id,
    runner: hookRunner(job.runner),
    project_id: project.id,
    project_name: `${project.namespace} / ${project.name}`,
    user: hookUser(opts.user),
    commit: {
      id: pipeline.id,
      name: null,
      sha: pipeline.sha,
      message: pipeline.commitMessage,
      author_name: pipeline.commitAuthorName,
      author_email: "[REDACTED]",
      author_url: null,
      status: pipeline.status,
      duration: seconds(pipeline.startedAt, pipeline.finishedAt),
      started_at: utc(pipeline.startedAt),
      finished_at: utc(pipeline.finishedAt),
    },
    repository: hookRepository(project),
    project: hookProject(project),
    environment: null,
  };
}
