/**
 * Read models for the UI and the REST API: plain objects (no Prisma client methods, no secrets).
 * Jobs never expose `spec` (may hold variables) or `tokenHash`.
 */
import type { JobStatus, PipelineStatus, Visibility } from "@minilab/db";

export interface PipelineView {
  id: number;
  iid: number;
  projectId: number;
  ref: string;
  tag: boolean;
  sha: string;
  beforeSha: string;
  source: string;
  status: PipelineStatus;
  yamlErrors: string | null;
  commitTitle: string;
  commitAuthorName: string;
  stages: string[];
  userId: number | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** GitLab's "passed with warnings": success with some allowed failure. */
  warnings: boolean;
}

export interface JobView {
  id: number;
  pipelineId: number;
  projectId: number;
  name: string;
  stage: string;
  stageIdx: number;
  status: JobStatus;
  when: string;
  allowFailure: boolean;
  exitCode: number | null;
  failureReason: string | null;
  logSize: number;
  /** A newer attempt of this job exists: hidden from the pipeline graph, shown on its job page. */
  retried: boolean;
  /** When a delayed (`scheduled`) job starts. */
  scheduledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface PipelineWithJobs extends PipelineView {
  jobs: JobView[];
}

export interface JobWithPipeline extends JobView {
  pipeline: Pick<PipelineView, "id" | "iid" | "ref" | "sha" | "status" | "tag">;
}

/** The project fields the mappers need (a Prisma `Project` row satisfies it). */
export interface ProjectRef {
  id: number;
  namespace: string;
  path: string;
  name: string;
  description: string;
  visibility: Visibility;
  defaultBranch: string;
  createdAt: Date;
  /** Default job timeout in seconds; absent in read models that do not load it. */
  buildTimeout?: number;
  /** GitLab's `ci_separated_caches`; absent in read models that do not load it. */
  ciSeparatedCaches?: boolean;
  /** GitLab's "Public pipelines" (`public_builds` / `public_jobs`); absent where not loaded. */
  publicBuilds?: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

export const pipelineSelect = {
  id: true,
  iid: true,
  projectId: true,
  ref: true,
  tag: true,
  sha: true,
  beforeSha: true,
  source: true,
  status: true,
  yamlErrors: true,
  commitTitle: true,
  commitAuthorName: true,
  stages: true,
  userId: true,
  createdAt: true,
  updatedAt: true,
  startedAt: true,
  finishedAt: true,
  warnings: true,
} as const;

export const jobSelect = {
  id: true,
  pipelineId: true,
  projectId: true,
  name: true,
  stage: true,
  stageIdx: true,
  status: true,
  when: true,
  allowFailure: true,
  exitCode: true,
  failureReason: true,
  logSize: true,
  retried: true,
  scheduledAt: true,
  createdAt: true,
  updatedAt: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** Statuses after which a job or pipeline never changes again (until retried as a new job). */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(["success", "failed", "canceled", "skipped"]);

export const isFinishedStatus = (status: string): boolean => FINISHED_STATUSES.has(status);

/** Seconds between start and finish (or `now` while still running); null if it never started. */
export function durationSeconds(
  startedAt: Date | null,
  finishedAt: Date | null,
  now = new Date(),
): number | null {
  if (!startedAt) return null;
  const end = finishedAt ?? now;
  return Math.max(0, (end.getTime() - startedAt.getTime()) / 1000);
}
