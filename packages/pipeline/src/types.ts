/**
 * Types of the pure `.gitlab-ci.yml` engine. `PipelineConfig` is the validated, normalised form of the
 * file (defaults already folded into each job); `PlannedJob` is what becomes a job row.
 */

export type When = "on_success" | "on_failure" | "always" | "manual";

/** An ordered list of variables; later entries win when keys repeat. */
// A type alias (not an interface) so values stay assignable to JSON column types downstream.
export type Variable = {
  key: string;
  value: string;
};

export interface JobConfig {
  name: string;
  stage: string;
  /** Empty when neither the job nor `default:` names an image (the runner picks its default). */
  image: string;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Job-level variables only; global ones live on {@link PipelineConfig.variables}. */
  variables: Variable[];
  when: When;
  allowFailure: boolean;
}

export interface PipelineConfig {
  /** Declared stages wrapped in `.pre` … `.post`. */
  stages: string[];
  variables: Variable[];
  /** Visible jobs in file order. */
  jobs: JobConfig[];
}

/**
 * Facts about the pipeline being planned. Unused by this first slice; `rules:`/`only:` will read them.
 */
export interface PlanContext {
  ref?: string;
  tag?: boolean;
  source?: string;
}

export interface PlannedJob {
  name: string;
  stage: string;
  /** Index into {@link Plan.stages}. */
  stageIdx: number;
  image: string;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Global variables, then job variables (job wins). */
  variables: Variable[];
  when: When;
  allowFailure: boolean;
}

export interface Plan {
  /** Only stages that have at least one job, in declared order. */
  stages: string[];
  jobs: PlannedJob[];
}

export type ParseResult = { ok: true; config: PipelineConfig } | { ok: false; errors: string[] };
