"use server";
/**
 * Job and pipeline controls for the UI (buttons on the job page, the pipeline page and the graph).
 * Transport adapters: read the form → one core use-case (which checks the caller's role) → redirect
 * back (or to where the result is: a retried job's new attempt, the pipelines list after a delete)
 * with the AppError's message on failure. Next's server actions check the request's Origin, so these
 * are not CSRF targets. Live status changes then arrive over the page's event stream.
 */
import { redirect } from "next/navigation";
import {
  AppError,
  cancelJob,
  cancelPipeline,
  deletePipeline,
  findProject,
  isAppError,
  playJob,
  retryJob,
  retryPipeline,
  assertCanControl,
  runPipeline,
} from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";
import type { FormState } from "../../../../../lib/form-state";
import { formText } from "../../../../../server/form-fields";
import { parseId } from "../../../../../server/project";
import { runScheduledNow, unscheduleNow } from "../../../../../server/scheduled-jobs";
import { requireUser, safeReturnPath } from "../../../../../server/session";

interface Ctx {
  user: User;
  project: Project;
  base: string;
  id: number;
}

/** Runs `fn`; redirects to what it returns, or back with `?error=` for an expected failure. */
async function control(form: FormData, fn: (ctx: Ctx) => Promise<string>): Promise<never> {
  const back = safeReturnPath(formText(form, "back"));
  const user = await requireUser(back);
  const db = getDb();
  const project = await findProject({
    db,
    ref: `${formText(form, "namespace")}/${formText(form, "project")}`,
  });
  const id = parseId(formText(form, "id"));
  let target: string;
  try {
    if (!project || id === null) throw new AppError("not_found", "Not found");
    target = await fn({ user, project, base: `/${project.namespace}/${project.path}`, id });
  } catch (e) {
    if (!isAppError(e)) throw e;
    target = withParam(back, "error", e.message);
  }
  redirect(target);
}

function withParam(path: string, key: string, value: string): string {
  const url = new URL(path, "http://x");
  url.searchParams.set(key, value);
  return `${url.pathname}${url.search}`;
}

/** The job id must belong to the project in the URL (core checks role and existence). */
async function jobOf(ctx: Ctx): Promise<void> {
  const job = await getDb().job.findFirst({
    where: { id: ctx.id, projectId: ctx.project.id },
    select: { id: true },
  });
  if (!job) throw new AppError("not_found", "Job not found");
}

export async function cancelJobAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    await cancelJob({ db: getDb(), jobId: ctx.id, userId: ctx.user.id, projectId: ctx.project.id });
    return safeReturnPath(formText(form, "back"));
  });
}

export async function retryJobAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    await jobOf(ctx);
    await assertCanControl(getDb(), { userId: ctx.user.id, projectId: ctx.project.id, what: "Job" });
    const next = await retryJob({ db: getDb(), jobId: ctx.id, userId: ctx.user.id });
    // On the job page, follow the new attempt; elsewhere (pipeline graph) stay.
    return formText(form, "follow") === "1"
      ? `${ctx.base}/-/jobs/${next.id}`
      : safeReturnPath(formText(form, "back"));
  });
}

export async function playJobAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    const keys = form.getAll("var_key").map(String);
    const values = form.getAll("var_value").map(String);
    const variables = keys.map((key, i) => ({ key, value: values[i] ?? "" }));
    await playJob({ db: getDb(), jobId: ctx.id, userId: ctx.user.id, projectId: ctx.project.id, variables });
    return safeReturnPath(formText(form, "back"));
  });
}

export async function runScheduledJobAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    await jobOf(ctx);
    await runScheduledNow({ jobId: ctx.id, userId: ctx.user.id });
    return safeReturnPath(formText(form, "back"));
  });
}

export async function unscheduleJobAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    await jobOf(ctx);
    await unscheduleNow({ jobId: ctx.id, userId: ctx.user.id });
    return safeReturnPath(formText(form, "back"));
  });
}

export async function cancelPipelineAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    await cancelPipeline({ db: getDb(), pipelineId: ctx.id, userId: ctx.user.id, projectId: ctx.project.id });
    return safeReturnPath(formText(form, "back"));
  });
}

export async function retryPipelineAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    const found = await getDb().pipeline.findFirst({
      where: { id: ctx.id, projectId: ctx.project.id },
      select: { id: true },
    });
    if (!found) throw new AppError("not_found", "Pipeline not found");
    await assertCanControl(getDb(), { userId: ctx.user.id, projectId: ctx.project.id, what: "Pipeline" });
    await retryPipeline({ db: getDb(), pipelineId: ctx.id, userId: ctx.user.id });
    return safeReturnPath(formText(form, "back"));
  });
}

export async function deletePipelineAction(form: FormData): Promise<void> {
  await control(form, async (ctx) => {
    await deletePipeline({ db: getDb(), pipelineId: ctx.id, userId: ctx.user.id, projectId: ctx.project.id });
    return withParam(`${ctx.base}/-/pipelines`, "notice", "The pipeline was deleted.");
  });
}

/** The "Run pipeline" form (useActionState): errors come back to the form, success goes to the pipeline. */
export async function runPipelineAction(_prev: FormState, form: FormData): Promise<FormState> {
  const namespace = formText(form, "namespace");
  const path = formText(form, "project");
  const user = await requireUser(`/${namespace}/${path}/-/pipelines/new`);
  const db = getDb();
  const project = await findProject({ db, ref: `${namespace}/${path}` });
  const ref = formText(form, "ref");
  const keys = form.getAll("var_key").map(String);
  const values = form.getAll("var_value").map(String);
  const types = form.getAll("var_type").map(String);
  const values_: Record<string, string> = { ref };
  if (!project) return { error: "Project not found", values: values_ };
  const variables: Record<string, string> = {};
  const files = new Set<string>();
  keys.forEach((key, i) => {
    const k = key.trim();
    if (!k) return;
    variables[k] = values[i] ?? "";
    // "File" in the type selector (GitLab's Variable/File): the job gets a path to the value.
    if (types[i] === "file") files.add(k);
    else files.delete(k);
  });
  let target: string;
  try {
    const pipeline = await runPipeline({
      db,
      projectId: project.id,
      userId: user.id,
      ref,
      source: "web",
      variables,
      fileVariables: [...files],
    });
    target = `/${project.namespace}/${project.path}/-/pipelines/${pipeline.id}`;
  } catch (e) {
    if (!isAppError(e)) throw e;
    // An invalid configuration still stores a (failed) pipeline, as GitLab: show it.
    const failedId = e.details?.["id"];
    if (typeof failedId === "number")
      target = `/${project.namespace}/${project.path}/-/pipelines/${failedId}`;
    else return { error: e.message, values: values_ };
  }
  redirect(target);
}
