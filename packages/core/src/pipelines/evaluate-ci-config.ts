/**
 * `.gitlab-ci.yml` text at a commit → config, problems, merged YAML and (given the pipeline's facts)
 * the plan. Shared by pipeline creation and CI lint, so both see exactly the same repository inputs:
 *
 * - `include:local` and wildcard includes read the commit's files (ci-repo-files.ts);
 * - `rules:exists` gets the commit's file list, read only when some rule has `exists`;
 * - `changes` gets the files changed by the push: the tree diff before..sha for a branch whose previous
 *   tip is known; unknown (null → `changes` is true, as GitLab) for new branches, tags and pipelines
 *   that are not pushes (their before sha is forty zeros);
 * - `changes:compare_to: <ref>` gets the diff merge-base(ref, sha)..sha, as GitLab, for every pipeline.
 *   A ref that does not resolve is an error of the configuration (GitLab: "is not a valid ref").
 */
import { changedPaths, isGitInputError, listFiles, mergeBase, resolveRef } from "@minilab/git";
import {
  lint,
  mergedYaml,
  plan as planPipeline,
  planInputs,
  type PipelineConfig,
  type Plan,
  type Problem,
} from "@minilab/pipeline";
import { parseWithRepoFiles, type GitRepoFiles } from "./ci-repo-files.ts";

/** What is known about the pipeline being planned. */
export interface CiPlanFacts {
  ref: string;
  tag: boolean;
  source: string;
  /** Predefined variables visible to `rules:if`. */
  variables: Record<string, string>;
  pipelineVariables: Record<string, string>;
  defaultBranch: string;
  /** Previous tip of the ref (push pipelines); null or forty zeros when unknown. */
  beforeSha: string | null;
}

export interface CiEvaluation {
  /** null when the text is not a YAML mapping at all. */
  config: PipelineConfig | null;
  errors: Problem[];
  warnings: Problem[];
  /** Present when facts were given and the configuration is valid. */
  plan: Plan | null;
  /** null when there is no config to print. */
  mergedYaml: string | null;
  /** Local files the configuration included, in the order they were read. */
  includes: string[];
}

const ZERO = /^0+$/;

export async function evaluateCiConfig(opts: {
  dir: string;
  /** The commit whose files includes/`exists`/`changes` see; null for an empty repository. */
  sha: string | null;
  text: string;
  /** null: static check only (no plan). */
  facts: CiPlanFacts | null;
}): Promise<CiEvaluation> {
  const { dir, sha, facts } = opts;
  const { parsed, files } = await parseWithRepoFiles(dir, sha, opts.text);
  const config = parsed.config;
  const warnings = parsed.problems.filter((p) => p.severity === "warning");
  let errors = parsed.problems.filter((p) => p.severity === "error");
  if (config && errors.length === 0) errors = lint(config).filter((p) => p.severity === "error");
  const base = {
    config,
    warnings,
    mergedYaml: config ? mergedYaml(config) : null,
    includes: files.readPaths(),
  };
  if (!config || errors.length > 0 || !facts) return { ...base, errors, plan: null };

  const inputs = await repoInputs(dir, sha, config, files, facts);
  if (inputs.errors.length > 0) return { ...base, errors: inputs.errors, plan: null };
  const plan = planPipeline(config, {
    ref: facts.ref,
    tag: facts.tag,
    source: facts.source,
    variables: facts.variables,
    pipelineVariables: facts.pipelineVariables,
    defaultBranch: facts.defaultBranch,
    changedFiles: inputs.changedFiles,
    compareToChanges: inputs.compareToChanges,
    files,
  });
  const planErrors = plan.problems.filter((p) => p.severity === "error");
  return planErrors.length > 0
    ? { ...base, errors: planErrors, plan: null }
    : { ...base, errors: [], warnings: [...warnings, ...plan.problems], plan };
}

async function repoInputs(
  dir: string,
  sha: string | null,
  config: PipelineConfig,
  files: GitRepoFiles,
  facts: CiPlanFacts,
): Promise<{
  changedFiles: string[] | null;
  compareToChanges: Record<string, string[]>;
  errors: Problem[];
}> {
  const needs = planInputs(config);
  if (needs.fileList) await files.loadList();
  const known = sha !== null && facts.beforeSha !== null && !ZERO.test(facts.beforeSha) && !facts.tag;
  const changedFiles =
    needs.changedFiles && known && facts.beforeSha
      ? await unknownOnBadInput(changedPaths(dir, facts.beforeSha, sha))
      : null;
  const compareToChanges: Record<string, string[]> = {};
  const errors: Problem[] = [];
  for (const ref of needs.compareTo) {
    const target = sha ? await unknownOnBadInput(resolveRef(dir, ref)) : null;
    if (!target || !sha) {
      errors.push(problem(`rules:changes:compare_to is not a valid ref: ${ref}`));
      continue;
    }
    const fork = await mergeBase(dir, target, sha);
    // Unrelated histories: everything at the commit is new.
    compareToChanges[ref] = fork ? await changedPaths(dir, fork, sha) : await listFiles(dir, sha);
  }
  return { changedFiles, compareToChanges, errors };
}

/** A sha or ref git refuses (unknown commit, odd name) means "unknown", not a server error. */
async function unknownOnBadInput<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (isGitInputError(e)) return null;
    throw e;
  }
}

const problem = (message: string): Problem => ({
  path: "rules:changes:compare_to",
  message,
  file: null,
  line: null,
  column: null,
  severity: "error",
});
