/**
 * Runner claims a dispatched job: pending → running (compare-and-set; exactly one claimer wins),
 * with a fresh job token. The JobSpec is built in the same transaction, so a failure to build it
 * leaves the job pending rather than running with a token nobody holds.
 */
import type { ClaimRequest, JobSpec } from "@minilab/contracts";
import type { Db } from "@minilab/db";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { advanceInTransaction } from "../pipelines/advance-pipeline.ts";
import { noEffects, runEffects } from "../pipelines/effects.ts";
import { effectiveTimeoutSeconds, readJobRowSpec, readPipelineVariables } from "../pipelines/job-row-spec.ts";
import { predefinedVariables, projectDir } from "../pipelines/predefined-variables.ts";
import { authenticateRunner } from "../runners/authenticate-runner.ts";
import { jobTags, tagMismatch } from "../runners/job-tags.ts";
import { plannedExtras } from "../runners/planned-extras.ts";
import { isProtectedRef, projectVariablesForJob } from "../variables/index.ts";
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
  // Tags are checked against the runner's own record, not what it claims in `info`: the queue routed
  // by tags already, so a mismatch means a misconfigured runner (or a stale dispatch) — refuse it.
  // Read once, before the compare-and-set: what the spec is built from does not change while the job
  // is pending (its spec and name are fixed at creation, a manual job's variables are set before it
  // becomes pending), and a read inside the transaction would see no more under READ COMMITTED.
  const job = await db.job.findUnique({
    where: { id: jobId },
    include: { pipeline: { include: { user: true } }, project: true },
  });
  if (!job) throw new AppError("not_found", "Job not found");
  const mismatch = tagMismatch(jobTags(job.spec), runner);
  if (mismatch) throw new AppError("conflict", `Job cannot run on this runner: ${mismatch}`);
  const timeout = effectiveTimeoutSeconds(job.spec, job.project.buildTimeout, runner.maximumTimeout);
  const token = newJobToken();
  const effects = noEffects();
  const spec = await db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.job.updateMany({
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
    if (count !== 1) {
      const existing = await tx.job.findUnique({ where: { id: jobId }, select: { status: true } });
      if (!existing) throw new AppError("not_found", "Job not found");
      throw new AppError("conflict", `Job is ${existing.status}, not pending`, { status: existing.status });
    }
    const { pipeline, project } = job;
    const rowSpec = readJobRowSpec(job.spec);
    const deps = await dependencyArtifacts(tx, job, rowSpec.planned);
    const protectedRef = await isProtectedRef({
      db: tx,
      projectId: project.id,
      ref: pipeline.ref,
      tag: pipeline.tag,
    });
    const predefined = predefinedVariables({
      externalUrl: coreConfig().externalUrl,
      project,
      pipeline,
      job: { id: job.id, name: job.name, stage: job.stage, startedAt: now },
      user: pipeline.user,
      token,
      protectedRef,
    });
    // Later entries win. Pipeline variables (trigger/web/api) come last: in GitLab they take
    // precedence over variables written in .gitlab-ci.yml.
    const variables = [
      ...predefined,
      ...rowSpec.variables.map((v) => ({ ...v, masked: false })),
      // `reports:dotenv` of the jobs this one depends on: above YAML, below project variables (GitLab).
      ...deps.dotenv,
      // Project CI/CD variables (Settings → CI/CD) override .gitlab-ci.yml ones, as in GitLab.
      ...(await projectVariablesForJob({
        db: tx,
        projectId: project.id,
        protectedRef,
      })),
      // File variables (`variable_type: file` from the API or the Run pipeline form, a trigger's
      // TRIGGER_PAYLOAD) reach the runner flagged `file`; pipelines stored before `file_variables`
      // existed still get TRIGGER_PAYLOAD as a file.
      ...readPipelineVariables(pipeline.variables).map((v) => ({
        ...v,
        masked: false,
        ...(pipeline.fileVariables.includes(v.key) ||
        (v.key === "TRIGGER_PAYLOAD" && pipeline.source === "trigger")
          ? { file: true }
          : {}),
      })),
      // Variables given when a user played this manual job win over everything (GitLab's rule).
      ...readJobVariables(job.jobVariables),
    ];
    effects.events.push({
      kind: "job",
      id: job.id,
      pipelineId: pipeline.id,
      projectId: project.id,
      status: "running",
    });
    // A claim only starts a job: it decides no other job, and a pipeline already `running` stays
    // running (a job that runs makes GitLab's composite `running`, or `canceling` — which is never
    // reached from `running` by a claim). Skipping the advance then spares every claim of a wide
    // pipeline the pipeline lock and a read of all its jobs. The status was read before the CAS; a
    // pipeline with a pending job that was `running` then is still running, or canceling — and a
    // cancel would have made our compare-and-set fail.
    if (pipeline.status !== "running") await advanceInTransaction(tx, pipeline.id, effects);
    const result: JobSpec = {
      id: job.id,
      token,
      name: job.name,
      stage: job.stage,
      image: rowSpec.image,
      beforeScript: rowSpec.beforeScript,
      script: rowSpec.script,
      afterScript: rowSpec.afterScript,
      variables,
      git: {
        repoUrl: predefined.find((v) => v.key === "CI_REPOSITORY_URL")?.value ?? "",
        sha: pipeline.sha,
        ref: pipeline.ref,
        projectDir: projectDir(project.namespace, project.path),
      },
      timeoutSeconds: timeout,
      finishTrace: true,
      ...plannedExtras(rowSpec),
      ...jobFileSpecs(rowSpec.planned, deps.dependencies, {
        protectedRef,
        separated: project.ciSeparatedCaches,
      }),
    };
    return result;
  });
  await runEffects(effects);
  return spec;
}
