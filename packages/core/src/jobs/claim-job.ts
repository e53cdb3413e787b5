/**
 * Runner claims a dispatched job: pending → running (compare-and-set; exactly one claimer wins),
 * with a fresh job token.
 *
 * Everything the JobSpec is built from is read first, in one statement (job, pipeline, project,
 * user, protected-branch rules, project variables, whether the project has job/pipeline webhooks),
 * and the spec is built before the compare-and-set: a failure to build it leaves the job pending,
 * never running with a token nobody holds. What the spec is built from does not change while the job
 * is pending (its spec and name are fixed at creation, a manual job's variables are set before it
 * becomes pending); settings edited concurrently with a claim race with it either way, as they did
 * when these reads came right after the compare-and-set under READ COMMITTED.
 *
 * The compare-and-set is then a single UPDATE: a transaction only when the pipeline must be
 * advanced too (its first claim moves it to `running`).
 */
import type { ClaimRequest, JobSpec } from "@minilab/contracts";
import type { Db, Runner } from "@minilab/db";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { advanceInTransaction } from "../pipelines/advance-pipeline.ts";
import { noEffects, runEffects } from "../pipelines/effects.ts";
import { effectiveTimeoutSeconds, readJobRowSpec, readPipelineVariables } from "../pipelines/job-row-spec.ts";
import { predefinedVariables, projectDir } from "../pipelines/predefined-variables.ts";
import { authenticateRunner } from "../runners/authenticate-runner.ts";
import { jobTags, tagMismatch } from "../runners/job-tags.ts";
import { plannedExtras } from "../runners/planned-extras.ts";
import { refIsProtected, variablesForJob } from "../variables/index.ts";
import { hashJobToken, newJobToken } from "./job-token.ts";
import { dependencyArtifacts } from "../artifacts/dependency-artifacts.ts";
import { jobFileSpecs } from "../artifacts/job-file-specs.ts";
import { readJobVariables } from "./play-job.ts";

export interface ClaimJobOptions {
  db: Db;
  runnerToken: string;
  jobId: number;
  info?: ClaimRequest["info"];
}

export async function claimJob({ db, runnerToken, jobId, info }: ClaimJobOptions): Promise<JobSpec> {
  const runner = await authenticateRunner({ db, token: runnerToken });
  const version = info?.version ?? runner.version;
  const executor = info?.executor ?? runner.executor;
  if (version !== runner.version || executor !== runner.executor) {
    await db.runner.update({ where: { id: runner.id }, data: { version, executor } });
  }
  const row = await readClaimRow(db, jobId);
  if (!row) throw new AppError("not_found", "Job not found");
  if (row.status !== "pending")
    throw new AppError("conflict", `Job is ${row.status}, not pending`, { status: row.status });
  // Tags are checked against the runner's own record, not what it claims in `info`: the queue routed
  // by tags already, so a mismatch means a misconfigured runner (or a stale dispatch) — refuse it.
  const mismatch = tagMismatch(jobTags(row.spec), runner);
  if (mismatch) throw new AppError("conflict", `Job cannot run on this runner: ${mismatch}`);

  const token = newJobToken();
  const now = new Date();
  const timeout = effectiveTimeoutSeconds(row.spec, row.buildTimeout, runner.maximumTimeout);
  const spec = await buildSpec(db, row, token, now, timeout);

  const effects = noEffects();
  if (!row.hooks) effects.hooklessProjects = new Set([row.projectId]);
  effects.events.push({
    kind: "job",
    id: row.id,
    pipelineId: row.pipelineId,
    projectId: row.projectId,
    status: "running",
  });
  // A claim only starts a job: it decides no other job, and a pipeline already `running` stays
  // running (a job that runs makes GitLab's composite `running`, or `canceling` — which is never
  // reached from `running` by a claim). Skipping the advance then spares every claim of a wide
  // pipeline the pipeline lock (and a transaction). The status was read before the CAS; a pipeline
  // with a pending job that was `running` then is still running, or canceling — and a cancel would
  // have made our compare-and-set fail.
  if (row.pipelineStatus === "running") await startJob(db, row.id, runner, token, now, timeout);
  else
    await db.$transaction(async (tx) => {
      await startJob(tx, row.id, runner, token, now, timeout);
      await advanceInTransaction(tx, row.pipelineId, effects);
    });
  await runEffects(effects);
  return spec;
}

/** The compare-and-set; throws conflict (with the job's status) when the job was not pending. */
async function startJob(
  db: Pick<Db, "job">,
  jobId: number,
  runner: Runner,
  token: string,
  now: Date,
  timeout: number,
): Promise<void> {
  const { count } = await db.job.updateMany({
    where: { id: jobId, status: "pending" },
    data: {
      status: "running",
      tokenHash: hashJobToken(token),
      startedAt: now,
      heartbeatAt: now,
      timeout,
      runnerId: runner.id,
    },
  });
  if (count === 1) return;
  const existing = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!existing) throw new AppError("not_found", "Job not found");
  throw new AppError("conflict", `Job is ${existing.status}, not pending`, { status: existing.status });
}

/** One job with what its spec needs from its pipeline, project, user and project settings. */
interface ClaimRow {
  id: number;
  name: string;
  stage: string;
  stageIdx: number;
  status: string;
  spec: unknown;
  jobVariables: unknown;
  pipelineId: number;
  iid: number;
  ref: string;
  tag: boolean;
  sha: string;
  beforeSha: string;
  source: string;
  pipelineStatus: string;
  commitTitle: string;
  commitMessage: string;
  commitAuthorName: string;
  commitAuthorEmail: string;
  pipelineVariables: unknown;
  fileVariables: string[];
  projectId: number;
  namespace: string;
  path: string;
  projectName: string;
  visibility: string;
  defaultBranch: string;
  buildTimeout: number;
  ciSeparatedCaches: boolean;
  userId: number | null;
  username: string | null;
  email: string | null;
  userName: string | null;
  /** Protected-branch rules (names, `*` wildcards) of the project. */
  protectedBranches: string[];
  /** Project CI/CD variables, by key. */
  projectVariables: { key: string; value: string; masked: boolean; protected: boolean }[];
  /** Whether some webhook of the project takes job or pipeline events. */
  hooks: boolean;
}

async function readClaimRow(db: Db, jobId: number): Promise<ClaimRow | undefined> {
  const rows = await db.$queryRaw<ClaimRow[]>`
    SELECT j.id, j.name, j.stage, j.stage_idx AS "stageIdx", j.status::text AS status, j.spec,
           j.job_variables AS "jobVariables", j.pipeline_id AS "pipelineId",
           p.iid, p.ref, p.tag, p.sha, p.before_sha AS "beforeSha", p.source,
           p.status::text AS "pipelineStatus", p.commit_title AS "commitTitle",
           p.commit_message AS "commitMessage", p.commit_author_name AS "commitAuthorName",
           p.commit_author_email AS "commitAuthorEmail", p.variables AS "pipelineVariables",
           p.file_variables AS "fileVariables",
           pr.id AS "projectId", pr.namespace, pr.path, pr.name AS "projectName",
           pr.visibility::text AS visibility, pr.default_branch AS "defaultBranch",
           pr.build_timeout AS "buildTimeout", pr.ci_separated_caches AS "ciSeparatedCaches",
           u.id AS "userId", u.username, u.email, u.name AS "userName",
           ARRAY(SELECT b.name FROM protected_branches b WHERE b.project_id = pr.id) AS "protectedBranches",
           coalesce((SELECT json_agg(json_build_object('key', v.key, 'value', v.value, 'masked', v.masked,
                                                       'protected', v.protected) ORDER BY v.key)
                     FROM project_variables v WHERE v.project_id = pr.id), '[]'::json) AS "projectVariables",
           EXISTS (SELECT 1 FROM project_hooks h
                   WHERE h.project_id = pr.id AND (h.job_events OR h.pipeline_events)) AS hooks
    FROM jobs j
    JOIN pipelines p ON p.id = j.pipeline_id
    JOIN projects pr ON pr.id = j.project_id
    LEFT JOIN users u ON u.id = p.user_id
    WHERE j.id = ${jobId}`;
  return rows[0];
}

async function buildSpec(db: Db, row: ClaimRow, token: string, now: Date, timeout: number): Promise<JobSpec> {
  const rowSpec = readJobRowSpec(row.spec);
  const deps = await dependencyArtifacts(db, row, rowSpec.planned);
  const protectedRef = refIsProtected(row.protectedBranches, row.ref, row.tag);
  const project = {
    id: row.projectId,
    namespace: row.namespace,
    path: row.path,
    name: row.projectName,
    visibility: row.visibility,
    defaultBranch: row.defaultBranch,
  };
  const predefined = predefinedVariables({
    externalUrl: coreConfig().externalUrl,
    project,
    pipeline: { ...row, id: row.pipelineId },
    job: { id: row.id, name: row.name, stage: row.stage, startedAt: now },
    user:
      row.userId === null
        ? null
        : { id: row.userId, username: row.username ?? "", email: row.email ?? "", name: row.userName ?? "" },
    token,
    protectedRef,
  });
  // Project CI/CD variables: protected ones only on protected refs.
  const projectVariables = variablesForJob(row.projectVariables, protectedRef);
  // Later entries win. Pipeline variables (trigger/web/api) come last: in GitLab they take
  // precedence over variables written in .gitlab-ci.yml.
  const variables = [
    ...predefined,
    ...rowSpec.variables.map((v) => ({ ...v, masked: false })),
    // `reports:dotenv` of the jobs this one depends on: above YAML, below project variables (GitLab).
    ...deps.dotenv,
    // Project CI/CD variables (Settings → CI/CD) override .gitlab-ci.yml ones, as in GitLab.
    ...projectVariables,
    // File variables (`variable_type: file` from the API or the Run pipeline form, a trigger's
    // TRIGGER_PAYLOAD) reach the runner flagged `file`; pipelines stored before `file_variables`
    // existed still get TRIGGER_PAYLOAD as a file.
    ...readPipelineVariables(row.pipelineVariables).map((v) => ({
      ...v,
      masked: false,
      ...(row.fileVariables.includes(v.key) || (v.key === "TRIGGER_PAYLOAD" && row.source === "trigger")
        ? { file: true }
        : {}),
    })),
    // Variables given when a user played this manual job win over everything (GitLab's rule).
    ...readJobVariables(row.jobVariables),
  ];
  return {
    id: row.id,
    token,
    name: row.name,
    stage: row.stage,
    image: rowSpec.image,
    beforeScript: rowSpec.beforeScript,
    script: rowSpec.script,
    afterScript: rowSpec.afterScript,
    variables,
    git: {
      repoUrl: predefined.find((v) => v.key === "CI_REPOSITORY_URL")?.value ?? "",
      sha: row.sha,
      ref: row.ref,
      projectDir: projectDir(row.namespace, row.path),
    },
    timeoutSeconds: timeout,
    finishTrace: true,
    ...plannedExtras(rowSpec),
    ...jobFileSpecs(rowSpec.planned, deps.dependencies, {
      protectedRef,
      separated: row.ciSeparatedCaches,
    }),
  };
}
