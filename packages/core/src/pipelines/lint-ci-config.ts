/**
 * CI lint, as GitLab's `POST|GET /projects/:id/ci/lint` and the `/-/ci/lint` page.
 *
 * - Static check (default): parse + lint; the jobs listed are every visible job of the file, in stage
 *   order, with their job-level `when`/`allow_failure`/`needs` (rules are not evaluated).
 * - Dry run: the pipeline a push to `ref` (default branch if omitted) would create, rules evaluated.
 * - Includes and `rules:exists` read the repository at `ref` (pasted content) or at the content's
 *   commit (the project's file), so the result matches what a pipeline there would see.
 *
 * Permissions, as GitLab: linting pasted content needs create_pipeline (developer+); linting the
 * project's own file needs read access to the repository.
 */
import type { Db, Project, User } from "@minilab/db";
import { readBlobAtCommit, readCommit, repoDir, resolveRef } from "@minilab/git";
import { instanceNames, type JobConfig, type PlannedJob, type Problem } from "@minilab/pipeline";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { accessLevelFor, assertCanRead, canPushCode, canReadRepository } from "../projects/index.ts";
import { gitRead } from "../repository/access.ts";
import { CI_CONFIG_PATH, ruleVariables } from "./create-pipeline.ts";
import { evaluateCiConfig } from "./evaluate-ci-config.ts";

export interface CiLintJob {
  name: string;
  stage: string;
  when: string;
  allowFailure: boolean;
  /** Names of the needed jobs; null when the job has no `needs:` (stage order). */
  needs: string[] | null;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  tags: string[];
  environment: string | null;
  /** The job decides with `rules:` (static check: not evaluated). */
  hasRules: boolean;
}

export interface CiLintResult {
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
  mergedYaml: string | null;
  /** Local files included, with the commit they were read at. */
  includes: { location: string; sha: string }[];
  jobs: CiLintJob[];
  dryRun: boolean;
  /** The ref includes were read at / the dry run simulated; null for an empty repository. */
  ref: string | null;
  sha: string | null;
}

type LintProject = Pick<Project, "id" | "namespace" | "path" | "visibility" | "ownerId" | "defaultBranch">;

export interface LintCiConfigOptions {
  db: Db;
  user: User | null;
  project: LintProject;
  /** The YAML to check. */
  content: string;
  /** Branch or tag for includes/`exists` and the dry run. @defaultValue the default branch */
  ref?: string | null;
  /** Simulate the pipeline a push to `ref` would create. @defaultValue false */
  dryRun?: boolean;
}

/** Lints pasted content (developer+). */
export async function lintCiConfig(opts: LintCiConfigOptions): Promise<CiLintResult> {
  const level = await accessLevelFor({ db: opts.db, user: opts.user, project: opts.project });
  assertCanRead(opts.user, opts.project, level);
  if (!canPushCode(level)) {
    if (!opts.user) throw new AppError("unauthorized", "sign in to lint CI/CD configuration");
    throw new AppError("forbidden", "you need at least the Developer role to lint CI/CD configuration");
  }
  const dir = projectRepoDir(opts.project);
  const target = await lintTarget(dir, opts.project, opts.ref ?? null);
  return lintText(dir, opts.project, opts.content, target, opts.dryRun ?? false);
}

export interface LintProjectCiConfigOptions {
  db: Db;
  user: User | null;
  project: LintProject;
  /** Commit sha, branch or tag whose `.gitlab-ci.yml` is checked. @defaultValue the default branch */
  contentRef?: string | null;
  /** Branch or tag the dry run simulates. @defaultValue the default branch */
  dryRunRef?: string | null;
  dryRun?: boolean;
}

/** Lints the project's `.gitlab-ci.yml` at a commit (repository readers). */
export async function lintProjectCiConfig(
  opts: LintProjectCiConfigOptions,
): Promise<CiLintResult & { content: string | null }> {
  const level = await accessLevelFor({ db: opts.db, user: opts.user, project: opts.project });
  assertCanRead(opts.user, opts.project, level);
  if (!canReadRepository(opts.user, opts.project, level))
    throw new AppError("forbidden", "you may not read this project's repository");
  const dir = projectRepoDir(opts.project);
  const at = await lintTarget(dir, opts.project, opts.contentRef ?? null);
  const blob = at.sha ? await gitRead(() => readBlobAtCommit(dir, at.sha as string, CI_CONFIG_PATH)) : null;
  const content = blob?.toString("utf8") ?? null;
  const dryRun = opts.dryRun ?? false;
  // Files are read where the content lives; the dry run simulates a pipeline for dryRunRef.
  const target = dryRun && opts.dryRunRef ? await lintTarget(dir, opts.project, opts.dryRunRef) : at;
  const result = await lintText(dir, opts.project, content ?? "", { ...target, sha: at.sha }, dryRun);
  return { ...result, content };
}

interface Target {
  ref: string | null;
  tag: boolean;
  sha: string | null;
}

/** A ref (branch first, then tag, then a commit sha) → its commit; unknown → 404. */
async function lintTarget(dir: string, project: LintProject, ref: string | null): Promise<Target> {
  if (ref === null || ref === "") {
    const sha = await gitRead(() => resolveRef(dir, `refs/heads/${project.defaultBranch}`));
    return { ref: project.defaultBranch, tag: false, sha };
  }
  const branch = await gitRead(() => resolveRef(dir, `refs/heads/${ref}`));
  if (branch) return { ref, tag: false, sha: branch };
  const tag = await gitRead(() => resolveRef(dir, `refs/tags/${ref}`));
  if (tag) return { ref, tag: true, sha: tag };
  const sha = /^[0-9a-f]{7,64}$/.test(ref) ? await gitRead(() => resolveRef(dir, ref)) : null;
  if (sha) return { ref: project.defaultBranch, tag: false, sha };
  throw new AppError("not_found", "ref not found", { ref });
}

async function lintText(
  dir: string,
  project: LintProject,
  text: string,
  target: Target,
  dryRun: boolean,
): Promise<CiLintResult> {
  const ref = target.ref ?? project.defaultBranch;
  const commit = target.sha ? await gitRead(() => readCommit(dir, target.sha as string)) : null;
  const facts = dryRun
    ? {
        ref,
        tag: target.tag,
        source: "push",
        variables: commit
          ? ruleVariables(
              {
                project,
                ref,
                tag: target.tag,
                beforeSha: "0".repeat(40),
                source: "push",
              },
              commit,
            )
          : {},
        pipelineVariables: {},
        defaultBranch: project.defaultBranch,
        beforeSha: null,
      }
    : null;
  const ev = await evaluateCiConfig({ dir, sha: target.sha, text, facts });
  if (ev.plan && !ev.plan.workflow.created) ev.errors.push(planError(FILTERED_BY_WORKFLOW));
  else if (ev.plan && ev.plan.jobs.length === 0) ev.errors.push(planError(NO_JOBS));
  const valid = ev.errors.length === 0;
  let jobs: CiLintJob[] = [];
  if (valid && ev.plan) jobs = ev.plan.jobs.map(plannedRow);
  else if (valid && ev.config && !dryRun) {
    const order = ev.config.stages;
    jobs = ev.config.jobs
      .flatMap(configRows)
      .map((row, i) => ({ row, i }))
      .sort((a, b) => order.indexOf(a.row.stage) - order.indexOf(b.row.stage) || a.i - b.i)
      .map(({ row }) => row);
  }
  return {
    valid,
    errors: ev.errors,
    warnings: ev.warnings,
    mergedYaml: ev.mergedYaml,
    includes: target.sha ? ev.includes.map((location) => ({ location, sha: target.sha as string })) : [],
    jobs,
    dryRun,
    ref: target.sha ? ref : null,
    sha: target.sha,
  };
}

// GitLab's words when a simulated pipeline would not be created.
const FILTERED_BY_WORKFLOW = "Pipeline filtered out by workflow rules.";
const NO_JOBS =
  "Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.";

const planError = (message: string): Problem => ({
  path: "",
  message,
  file: null,
  line: null,
  column: null,
  severity: "error",
});

const projectRepoDir = (p: LintProject): string => repoDir(coreConfig().reposDir, p.namespace, p.path);

function plannedRow(j: PlannedJob): CiLintJob {
  return {
    name: j.name,
    stage: j.stage,
    when: j.when,
    allowFailure: j.allowFailure,
    needs: j.needs ? j.needs.map((n) => n.name) : null,
    beforeScript: j.beforeScript,
    script: j.script,
    afterScript: j.afterScript,
    tags: j.tags,
    environment: j.environment?.name ?? null,
    hasRules: false,
  };
}

/** A job as written, one row per `parallel` instance. */
function configRows(j: JobConfig): CiLintJob[] {
  const names = j.parallel ? instanceNames(j.name, j.parallel) : [j.name];
  return names.map((name) => ({
    name,
    stage: j.stage,
    when: j.when,
    allowFailure: j.allowFailure?.allowed ?? j.when === "manual",
    needs: j.needs ? j.needs.map((n) => n.job) : null,
    beforeScript: j.beforeScript,
    script: j.script,
    afterScript: j.afterScript,
    tags: j.tags,
    environment: j.environment?.name ?? null,
    hasRules: j.rules !== null,
  }));
}
