/**
 * Creates a pipeline for one commit from its `.gitlab-ci.yml`.
 *
 * - No `.gitlab-ci.yml` at the commit → no pipeline (null), as GitLab.
 * - A file that does not parse/plan → a `failed` pipeline carrying `yamlErrors` and no jobs, so the
 *   user sees why nothing ran.
 * - Otherwise one transaction inserts the pipeline (next per-project iid, under a lock on the project
 *   row), its jobs (`created`) and advances it; dispatches and events go out only after the commit.
 */
import type { Db, Pipeline, Project } from "@minilab/db";
import { isGitInputError, readBlobAtCommit, readCommit, repoDir, type CommitInfo } from "@minilab/git";
import { parsePipeline, planPipeline, type Plan } from "@minilab/pipeline";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { advanceInTransaction, type Tx } from "./advance-pipeline.ts";
import { noEffects, runEffects } from "./effects.ts";
import { checkPipelineVariables, toJobRowSpec } from "./job-row-spec.ts";

export const CI_CONFIG_PATH = ".gitlab-ci.yml";

export type PipelineSource = "push" | "web" | "api" | "trigger" | "schedule";

export interface CreatePipelineOptions {
  db: Db;
  project: Pick<Project, "id" | "namespace" | "path">;
  /** Short ref name: `main`, `v1.0`. */
  ref: string;
  tag: boolean;
  sha: string;
  /** Previous tip of the ref; forty zeros for a new ref. */
  beforeSha: string;
  source: PipelineSource;
  userId: number | null;
  /** Pipeline-level variables (trigger/web/api); they override YAML variables. */
  variables?: Record<string, string>;
}

export async function createPipeline(opts: CreatePipelineOptions): Promise<Pipeline | null> {
  const { db, project, sha } = opts;
  checkPipelineVariables(opts.variables ?? {});
  const dir = repoDir(coreConfig().reposDir, project.namespace, project.path);
  let text: Buffer | null;
  let commit: CommitInfo;
  try {
    text = await readBlobAtCommit(dir, sha, CI_CONFIG_PATH);
    if (text === null) return null;
    commit = await readCommit(dir, sha);
  } catch (e) {
    if (isGitInputError(e)) throw new AppError(e.code, e.message);
    throw e;
  }

  const parsed = parsePipeline(text.toString("utf8"));
  const plan: Plan | null = parsed.ok
    ? planPipeline(parsed.config, { ref: opts.ref, tag: opts.tag, source: opts.source })
    : null;
  const yamlErrors = parsed.ok ? null : parsed.errors.join("\n");

  const effects = noEffects();
  const pipeline = await db.$transaction(async (tx) => {
    const iid = await nextIid(tx, project.id);
    const now = new Date();
    const created = await tx.pipeline.create({
      data: {
        iid,
        projectId: project.id,
        ref: opts.ref,
        tag: opts.tag,
        sha: commit.sha,
        beforeSha: opts.beforeSha,
        source: opts.source,
        status: yamlErrors ? "failed" : "created",
        yamlErrors,
        ...(yamlErrors ? { finishedAt: now } : {}),
        commitTitle: commit.title,
        commitMessage: commit.message,
        commitAuthorName: commit.authorName,
        commitAuthorEmail: commit.authorEmail,
        stages: plan?.stages ?? [],
        variables: opts.variables ?? {},
        userId: opts.userId,
      },
    });
    if (!plan) {
      effects.events.push({
        kind: "pipeline",
        id: created.id,
        pipelineId: created.id,
        projectId: project.id,
        status: "failed",
      });
      return created;
    }
    await tx.job.createMany({
      data: plan.jobs.map((job) => ({
        pipelineId: created.id,
        projectId: project.id,
        name: job.name,
        stage: job.stage,
        stageIdx: job.stageIdx,
        when: job.when,
        allowFailure: job.allowFailure,
        spec: toJobRowSpec(job),
      })),
    });
    await advanceInTransaction(tx, created.id, effects);
    return tx.pipeline.findUniqueOrThrow({ where: { id: created.id } });
  });
  await runEffects(effects);
  return pipeline;
}

/** Next per-project iid. The project row lock serialises concurrent creations for one project. */
async function nextIid(tx: Tx, projectId: number): Promise<number> {
  const locked = await tx.$queryRaw<
    { id: number }[]
  >`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;
  if (locked.length === 0) throw new AppError("not_found", "Project not found");
  const { _max } = await tx.pipeline.aggregate({ where: { projectId }, _max: { iid: true } });
  return (_max.iid ?? 0) + 1;
}
