/**
 * Run a pipeline by hand: the "Run pipeline" form (source `web`) and `POST /projects/:id/pipeline`
 * (source `api`). Developer+; on a protected branch only those allowed to push or merge to it.
 * Refusals answer as GitLab's (`{ message: { base: [...] } }` 400s): an unknown ref is "Reference not
 * found", then those of startPipelineAt (no CI file, filtered out by `workflow:rules`, invalid
 * configuration — that pipeline is stored failed and its id is in the error's details).
 */
import type { Db, Pipeline } from "@minilab/db";
import { AppError } from "../errors.ts";
import { assertCanControl, canRunOnRef } from "../jobs/control-access.ts";
import { resolvePipelineRef } from "../triggers/resolve-pipeline-ref.ts";
import { baseError, startPipelineAt } from "../triggers/run-trigger.ts";
import { checkPipelineVariables } from "./job-row-spec.ts";

export interface RunPipelineOptions {
  db: Db;
  projectId: number;
  userId: number;
  /** Branch or tag name (a branch wins over a tag of the same name). */
  ref: string;
  source: "web" | "api";
  /** Pipeline variables, name → value; they override YAML and project variables. */
  variables?: Record<string, string>;
  /**
   * Names among `variables` of GitLab's `variable_type: file`: the job gets the value in a temporary
   * file and the variable holds the file's path.
   */
  fileVariables?: readonly string[];
}

export async function runPipeline(opts: RunPipelineOptions): Promise<Pipeline> {
  const { db } = opts;
  const { project, level } = await assertCanControl(db, {
    userId: opts.userId,
    projectId: opts.projectId,
    what: "Project",
  });
  const ref = opts.ref.trim();
  if (!ref) throw new AppError("invalid_input", "ref is missing");
  const variables = opts.variables ?? {};
  checkPipelineVariables(variables);
  const resolved = await resolvePipelineRef(project, ref);
  if (!resolved) throw baseError("Reference not found");
  if (!(await canRunOnRef(db, { projectId: project.id, ...resolved, level })))
    throw baseError(
      `You do not have sufficient permission to run a pipeline on '${resolved.ref}'. Please select a different branch or contact your administrator for assistance.`,
    );
  return startPipelineAt({
    db,
    project,
    ...resolved,
    source: opts.source,
    userId: opts.userId,
    variables,
    fileVariables: opts.fileVariables ?? [],
  });
}
