"use server";
/**
 * The CI lint form's action: pasted YAML (+ the ref includes are read at, + dry run) → lintCiConfig,
 * which checks the caller may create pipelines. Answers a serialisable state; bad input and refused
 * access come back as a message, never a 500.
 */
import { findProject, isAppError, lintCiConfig, type CiLintResult } from "@minilab/core";
import { getDb } from "@minilab/db";
import { formText } from "../../../../../../server/form-fields";
import { currentUser } from "../../../../../../server/session";

export interface LintFormState {
  content: string;
  ref: string;
  dryRun: boolean;
  result?: CiLintResult;
  error?: string;
}

export async function lintAction(_prev: LintFormState, form: FormData): Promise<LintFormState> {
  const state: LintFormState = {
    content: formText(form, "content"),
    ref: formText(form, "ref"),
    dryRun: form.get("dry_run") === "on",
  };
  const db = getDb();
  const project = await findProject({
    db,
    ref: `${formText(form, "namespace")}/${formText(form, "project")}`,
  });
  if (!project) return { ...state, error: "Project not found." };
  try {
    const result = await lintCiConfig({
      db,
      user: await currentUser(),
      project,
      content: state.content,
      ref: state.ref || null,
      dryRun: state.dryRun,
    });
    return { ...state, result };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return {
      ...state,
      error: e.code === "not_found" && e.details?.["ref"] ? `Unknown ref ${state.ref}.` : e.message,
    };
  }
}
