/**
 * The trigger API: a trigger token starts a pipeline on a ref, as its owner, with `source: trigger`.
 * Answers as GitLab's (`lib/api/ci/triggers.rb`): an unknown token is a plain 404 (it must not reveal
 * whether the project exists), an unknown ref, a missing `.gitlab-ci.yml` and a pipeline that
 * `workflow:rules` filter out are 400s with `{ message: { base: [...] } }`.
 */
import type { Db, Pipeline, Project } from "@minilab/db";
import { isGitInputError, readBlobAtCommit, repoDir } from "@minilab/git";
import { sha256Hex } from "../auth/secrets.ts";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { CI_CONFIG_PATH, createPipeline, type PipelineSource } from "../pipelines/create-pipeline.ts";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { findProject } from "../projects/find-project.ts";
import { canPushCode } from "../projects/permissions.ts";
import { resolvePipelineRef } from "./resolve-pipeline-ref.ts";

/** The variable holding a webhook-form trigger's raw request body (a file variable in jobs). */
export const TRIGGER_PAYLOAD = "TRIGGER_PAYLOAD";

/** A `{ message: { base: [...] } }` 400, GitLab's validation-error shape. */
export const baseError = (message: string): AppError =>
  new AppError("invalid_input", message, { fields: { base: message } });

export interface RunTriggerOptions {
  db: Db;
  /** Project id or URL-encoded path, as in the URL. */
  projectRef: string;
  token: string;
  ref: string;
  variables?: Record<string, string>;
  /** Raw request body of the webhook form (`/ref/:ref/trigger/pipeline`), exposed as TRIGGER_PAYLOAD. */
  payload?: string;
  /** The request's `X-Gitlab-Event` header: a GitLab Pipeline Hook calling back is refused (loops). */
  gitlabEvent?: string | null;
}

/**
 * Loop protection: a GitLab (or minilab) Pipeline Hook pointed at a trigger URL would start a pipeline
 * per pipeline event, forever. GitLab answers such requests 403; so do we, before reading the body.
 */
export function assertNotPipelineHook(gitlabEvent: string | null | undefined): void {
  if (gitlabEvent?.trim().toLowerCase() === "pipeline hook")
    throw new AppError("forbidden", "403 Forbidden - Pipeline Hook requests cannot trigger pipelines");
}

export async function runTrigger(opts: RunTriggerOptions): Promise<{ pipeline: Pipeline; project: Project }> {
  const { db } = opts;
  assertNotPipelineHook(opts.gitlabEvent);
  if (!opts.token) throw new AppError("invalid_input", "token is missing");
  if (!opts.ref) throw new AppError("invalid_input", "ref is missing");
  const project = await findProject({ db, ref: opts.projectRef });
  const trigger = project
    ? await db.pipelineTrigger.findFirst({
        where: { tokenHash: sha256Hex(opts.token), projectId: project.id },
        include: { owner: true },
      })
    : null;
  if (!project || !trigger) throw new AppError("not_found", "404 Not Found");
  // The pipeline runs as the token's owner, so the owner must still be allowed to run one.
  const level = trigger.owner ? await accessLevelFor({ db, user: trigger.owner, project }) : 0;
  if (!trigger.owner || !canPushCode(level)) throw new AppError("forbidden", "403 Forbidden");

  const resolved = await resolvePipelineRef(project, opts.ref);
  if (!resolved) throw baseError("Reference not found");
  const variables = { ...opts.variables };
  if (opts.payload !== undefined) variables[TRIGGER_PAYLOAD] = opts.payload;
  const pipeline = await startPipelineAt({
    db,
    project,
    ...resolved,
    source: "trigger",
    userId: trigger.owner.id,
    variables,
    fileVariables: opts.payload !== undefined ? [TRIGGER_PAYLOAD] : [],
  });
  await db.pipelineTrigger.update({ where: { id: trigger.id }, data: { lastUsedAt: new Date() } });
  return { pipeline, project };
}

/**
 * createPipeline with GitLab's refusals as errors: no CI file, filtered out by `workflow:rules`, or a
 * configuration error (that pipeline is stored, failed, as GitLab does, and the caller gets a 400).
 */
export async function startPipelineAt(opts: {
  db: Db;
  project: Project;
  ref: string;
  tag: boolean;
  sha: string;
  source: PipelineSource;
  userId: number | null;
  variables: Record<string, string>;
  fileVariables?: readonly string[];
}): Promise<Pipeline> {
  const dir = repoDir(coreConfig().reposDir, opts.project.namespace, opts.project.path);
  try {
    if ((await readBlobAtCommit(dir, opts.sha, CI_CONFIG_PATH)) === null)
      throw baseError("Missing CI config file");
  } catch (e) {
    if (isGitInputError(e)) throw new AppError("invalid_input", e.message);
    throw e;
  }
  const pipeline = await createPipeline({
    db: opts.db,
    project: opts.project,
    ref: opts.ref,
    tag: opts.tag,
    sha: opts.sha,
    beforeSha: "0".repeat(40),
    source: opts.source,
    userId: opts.userId,
    variables: opts.variables,
    fileVariables: opts.fileVariables ?? [],
  });
  if (!pipeline) throw baseError("Pipeline filtered out by workflow rules.");
  if (pipeline.yamlErrors) {
    const err = baseError(pipeline.yamlErrors);
    throw new AppError(err.code, err.message, { ...err.details, id: pipeline.id });
  }
  return pipeline;
}
