/**
 * Creates a pipeline for one commit from its `.gitlab-ci.yml`.
 *
 * - No `.gitlab-ci.yml` at the commit → no pipeline (null), as GitLab.
 * - A file that does not parse/plan → a `failed` pipeline carrying `yamlErrors` and no jobs, so the
 *   user sees why nothing ran.
 * - `workflow:rules` prevent it, or rules leave no job → no pipeline (null), as GitLab.
 * - Otherwise one transaction inserts the pipeline (next per-project iid, under a lock on the project
 *   row), its jobs (`created`) and advances it; dispatches and events go out only after the commit.
 */
import type { Db, Pipeline, Prisma, Project } from "@minilab/db";
import { isGitInputError, readBlobAtCommit, readCommit, repoDir, type CommitInfo } from "@minilab/git";
import type { Plan } from "@minilab/pipeline";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { advanceInTransaction, type Tx } from "./advance-pipeline.ts";
import { cancelRedundantPipelines } from "./cancel-redundant-pipelines.ts";
import { noEffects, runEffects } from "./effects.ts";
import { evaluateCiConfig } from "./evaluate-ci-config.ts";
import { checkPipelineVariables, jobRowColumns, toJobRowSpec } from "./job-row-spec.ts";
import { slugify } from "./predefined-variables.ts";

export const CI_CONFIG_PATH = ".gitlab-ci.yml";

export type PipelineSource = "push" | "web" | "api" | "trigger" | "schedule";

export interface CreatePipelineOptions {
  db: Db;
  project: Pick<Project, "id" | "namespace" | "path"> & { defaultBranch?: string };
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
  /** Names among `variables` of type `file` (GitLab's `variable_type: file`). */
  fileVariables?: readonly string[];
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

  const evaluation = await evaluateCiConfig({
    dir,
    sha: commit.sha,
    text: text.toString("utf8"),
    facts: {
      ref: opts.ref,
      tag: opts.tag,
      source: opts.source,
      variables: ruleVariables(opts, commit),
      pipelineVariables: opts.variables ?? {},
      defaultBranch: project.defaultBranch ?? "main",
      beforeSha: opts.beforeSha,
    },
  });
  const { errors: problems, mergedYaml } = evaluation;
  let plan: Plan | null = evaluation.plan;
  if (plan && problems.length === 0 && (!plan.workflow.created || plan.jobs.length === 0)) return null;
  const yamlErrors = problems.length > 0 || !plan ? problems.map((p) => p.message).join("\n") : null;
  if (yamlErrors !== null) plan = null;

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
        mergedYaml,
        // The plan as stored JSON (plain data by construction: see @minilab/pipeline types).
        ...(plan ? { plan: plan as unknown as Prisma.InputJsonObject } : {}),
        ...(yamlErrors ? { finishedAt: now } : {}),
        commitTitle: commit.title,
        commitMessage: commit.message,
        commitAuthorName: commit.authorName,
        commitAuthorEmail: commit.authorEmail,
        stages: plan?.stages ?? [],
        variables: opts.variables ?? {},
        fileVariables: (opts.fileVariables ?? []).filter((k) => opts.variables?.[k] !== undefined),
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
        spec: toJobRowSpec(job),
        ...jobRowColumns(job),
      })),
    });
    await advanceInTransaction(tx, created.id, effects);
    return tx.pipeline.findUniqueOrThrow({ where: { id: created.id } });
  });
  await runEffects(effects);
  await cancelRedundantPipelines({ db, pipeline });
  return pipeline;
}

/** The predefined variables known before the pipeline row exists, for `rules:if` and `only:variables`. */
export function ruleVariables(
  opts: Pick<CreatePipelineOptions, "project" | "ref" | "tag" | "beforeSha" | "source">,
  commit: CommitInfo,
): Record<string, string> {
  const { project, ref, tag } = opts;
  return {
    CI: "true",
    GITLAB_CI: "true",
    CI_PROJECT_ID: String(project.id),
    CI_PROJECT_NAME: project.path,
    CI_PROJECT_NAMESPACE: project.namespace,
    CI_PROJECT_PATH: `${project.namespace}/${project.path}`,
    CI_DEFAULT_BRANCH: project.defaultBranch ?? "main",
    CI_COMMIT_SHA: commit.sha,
    CI_COMMIT_SHORT_SHA: commit.sha.slice(0, 8),
    CI_COMMIT_BEFORE_SHA: opts.beforeSha,
    CI_COMMIT_REF_NAME: ref,
    CI_COMMIT_REF_SLUG: slugify(ref),
    ...(tag ? { CI_COMMIT_TAG: ref } : { CI_COMMIT_BRANCH: ref }),
    CI_COMMIT_MESSAGE: commit.message,
    CI_COMMIT_TITLE: commit.title,
    CI_PIPELINE_SOURCE: opts.source,
  };
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
