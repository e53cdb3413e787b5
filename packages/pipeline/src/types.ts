/**
 * Types of the pure `.gitlab-ci.yml` engine. `PipelineConfig` is the validated, normalised file (includes,
 * `!reference`, `extends` and `default:` already folded into each job); `PlannedJob` is what becomes a
 * job row. Everything here is plain data: JSON-serialisable, so it can be stored as is.
 */
import type { Expr } from "./expression.ts";
import type { Problem } from "./problems.ts";

export type { Problem } from "./problems.ts";
export type { Expr } from "./expression.ts";

/** One `needs:` entry as written. */
export type Need = {
  job: string;
  optional: boolean;
  artifacts: boolean;
  /** Matrix instances this need selects; null = every instance of `job`. */
  matrix: Record<string, string[]>[] | null;
};

/** One `rules:` entry (job or workflow). */
export type Rule = {
  if: string | null;
  /** Parsed `if:` (plain data, so a stored config needs no re-parse). */
  expr: Expr | null;
  exists: string[] | null;
  changes: { paths: string[]; compareTo: string | null } | null;
  when: When | null;
  allowFailure: { allowed: boolean; exitCodes: number[] } | null;
  startIn: string | null;
  variables: Variable[];
  needs: Need[] | null;
};

/** `only:` / `except:` normalised to their hash form. */
export type OnlyExcept = {
  refs: string[] | null;
  variables: Expr[] | null;
  changes: string[] | null;
};

export type When = "on_success" | "on_failure" | "always" | "manual" | "delayed" | "never";

/** An ordered list of variables; later entries win when keys repeat. */
// A type alias (not an interface) so values stay assignable to JSON column types downstream.
export type Variable = {
  key: string;
  value: string;
  /** `false` when the YAML says `expand: false`: `$` in the value is literal. */
  expand: boolean;
};

/** The repository files the engine may read (`include:local`, `rules:exists`). Injected: no I/O here. */
export interface RepoFiles {
  /** Text of a file at the repository root-relative `path`, or null when absent. */
  readFile(path: string): string | null;
  /** Every file path in the repository, root-relative, `/`-separated. */
  listFiles(): string[];
}

export type Image = { name: string; entrypoint: string[] | null };
export type Service = {
  name: string;
  alias: string | null;
  entrypoint: string[] | null;
  command: string[] | null;
};
export type Retry = { max: number; when: string[]; exitCodes: number[] };
export type AllowFailure = { allowed: boolean; exitCodes: number[] };
export type Environment = { name: string; url: string | null; action: string | null };

export interface JobConfig {
  name: string;
  stage: string;
  /** Position of the job's key in the main file, when it is there. */
  line: number | null;
  when: When;
  /** Set when the file says `allow_failure:` (or via `default:`), else null: defaults depend on `when`. */
  allowFailure: AllowFailure | null;
  startIn: string | null;
  rules: Rule[] | null;
  only: OnlyExcept | null;
  except: OnlyExcept | null;
  /** null = no `needs:` (stage ordering); [] = `needs: []`. */
  needs: Need[] | null;
  dependencies: string[] | null;
  image: Image | null;
  services: Service[];
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Job-level variables only; global ones live on {@link PipelineConfig.variables}. */
  variables: Variable[];
  /** Which global variables the job inherits: all, none or the listed names. */
  inheritVariables: boolean | string[];
  retry: Retry | null;
  timeoutSeconds: number | null;
  tags: string[];
  artifacts: { [key: string]: Json } | null;
  cache: Json;
  environment: Environment | null;
  interruptible: boolean | null;
  resourceGroup: string | null;
  coverage: string | null;
  /** `parallel: N` → total; `parallel:matrix` → one variable set per instance. */
  parallel: { total: number } | { matrix: Record<string, string>[] } | null;
}

export interface PipelineConfig {
  /** Declared stages wrapped in `.pre` … `.post`. */
  stages: string[];
  variables: Variable[];
  workflow: { name: string | null; rules: Rule[] | null };
  /** Visible jobs in file order. */
  jobs: JobConfig[];
  /** The merged configuration (includes, extends, references resolved), for display and storage. */
  merged: Record<string, unknown>;
}

export interface ParseOptions {
  files?: RepoFiles;
}

export interface ParseResult {
  /** null when the file cannot be read at all; otherwise present even when problems were found. */
  config: PipelineConfig | null;
  problems: Problem[];
}

/** Facts about the pipeline being planned. */
export interface PlanContext {
  ref: string;
  tag?: boolean;
  /** `CI_PIPELINE_SOURCE`: push, web, api, trigger, schedule, … */
  source: string;
  /** Predefined (CI_*) variables (and any others below YAML precedence), visible to `rules:if`. */
  variables: Record<string, string>;
  /** Pipeline variables (trigger/web/api/CLI `--var`): they override YAML variables. */
  pipelineVariables?: Record<string, string>;
  /** Files changed by the push; null when unknown (new branch), then `changes:` is true, as GitLab. */
  changedFiles?: string[] | null;
  /**
   * For `rules:changes:compare_to`: ref as written → files changed between the merge base of that ref
   * and the pipeline commit, and the commit. A ref missing here is unknown: its `changes` match.
   */
  compareToChanges?: Readonly<Record<string, string[]>>;
  defaultBranch: string;
  /** Repository files for `rules:exists`; without them `exists` never matches. */
  files?: RepoFiles;
}

export type PlannedNeed = {
  name: string;
  optional: boolean;
  artifacts: boolean;
};

/** A JSON value (what YAML hashes like `artifacts:`/`cache:` are kept as). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type PlannedJob = {
  name: string;
  stage: string;
  /** Index into {@link Plan.stages}. */
  stageIdx: number;
  when: Exclude<When, "never">;
  allowFailure: boolean;
  /** Exit codes that count as an allowed failure; empty = any failure when allowFailure. */
  allowFailureExitCodes: number[];
  startIn: string | null;
  needs: PlannedNeed[] | null;
  dependencies: string[] | null;
  /** Empty name when neither the job nor `default:` names an image (the runner picks its default). */
  image: Image;
  services: Service[];
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Global (with workflow overrides), job, then `rules:variables`, later keys winning. */
  variables: Variable[];
  retry: Retry | null;
  timeoutSeconds: number | null;
  tags: string[];
  artifacts: { [key: string]: Json } | null;
  cache: Json;
  environment: Environment | null;
  interruptible: boolean | null;
  resourceGroup: string | null;
  coverage: string | null;
  parallel: { index: number; total: number } | null;
};

export interface Plan {
  /** Only stages that have at least one job, in declared order. */
  stages: string[];
  jobs: PlannedJob[];
  workflow: {
    /** false when `workflow:rules` prevent the pipeline. */
    created: boolean;
    name: string | null;
    /** Variables a matching `workflow:rules` entry adds. */
    variables: Variable[];
  };
  /** Problems only visible once rules are evaluated (a `needs:` on an excluded job, an empty pipeline). */
  problems: Problem[];
}
