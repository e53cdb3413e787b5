/**
 * Artifacts and cache around a job's script, on the runner host (both executors see the project dir
 * there: docker bind-mounts it). Order, as gitlab-runner: restore cache → download artifacts →
 * script → save cache → upload artifacts. A missing dependency fails the job before its script; a
 * failed artifact upload fails an otherwise successful job; cache problems are only warnings.
 */
import type { JobSpec } from "@minilab/contracts";
import { errorLine, sectionEnd, sectionStart, type ExecutionResult } from "@minilab/executor";
import type { ArtifactClient } from "./artifact-client.ts";
import { downloadDependencies, StepFailure, uploadArtifacts } from "./artifacts-step.ts";
import type { CacheStore } from "./cache-store.ts";
import { restoreCache, saveCache } from "./cache-step.ts";

export interface JobFilesDeps {
  artifacts: ArtifactClient;
  cache: CacheStore;
}

type Out = (b: Buffer) => void;
/** Read before each retry of an unreachable server (epoch ms): the runner's shutdown shortens it. */
type Deadline = () => number;

/** Runs before the script; a non-null result means the job failed here and the script must not run. */
export async function prepareJobFiles(
  spec: JobSpec,
  dir: string,
  deps: JobFilesDeps,
  out: Out,
  deadline?: Deadline,
): Promise<ExecutionResult | null> {
  if (spec.cache?.some((c) => c.policy !== "push")) {
    out(sectionStart("restore_cache", "Restoring cache", { collapsed: true }));
    await restoreCache({ spec, dir, store: deps.cache, out });
    out(sectionEnd("restore_cache"));
  }
  if ((spec.dependencies ?? []).length === 0) return null;
  out(sectionStart("download_artifacts", "Downloading artifacts", { collapsed: true }));
  try {
    await downloadDependencies({ spec, dir, client: deps.artifacts, out, ...(deadline ? { deadline } : {}) });
    return null;
  } catch (err) {
    const failure = err instanceof StepFailure ? err : new StepFailure(String(err), "runner_system_failure");
    out(errorLine(`ERROR: Job failed: ${failure.message}`));
    return { exitCode: null, failureReason: failure.failureReason as ExecutionResult["failureReason"] };
  } finally {
    out(sectionEnd("download_artifacts"));
  }
}

/** Runs after the script (and after_script); returns the job's result, possibly turned into a failure. */
export async function finishJobFiles(
  spec: JobSpec,
  dir: string,
  deps: JobFilesDeps,
  out: Out,
  result: ExecutionResult,
  deadline?: Deadline,
): Promise<ExecutionResult> {
  // A canceled job's token is revoked by the server: there is nothing to upload to.
  if (result.failureReason === "canceled") return result;
  const succeeded = !result.failureReason;
  const outcome = succeeded ? "successful" : "failed";
  if (spec.cache?.some((c) => c.policy !== "pull")) {
    out(sectionStart("archive_cache", `Saving cache for ${outcome} job`, { collapsed: true }));
    await saveCache({ spec, dir, store: deps.cache, out }, succeeded);
    out(sectionEnd("archive_cache"));
  }
  if (!spec.artifacts) return result;
  out(
    sectionStart(
      `upload_artifacts_on_${succeeded ? "success" : "failure"}`,
      `Uploading artifacts for ${outcome} job`,
    ),
  );
  const failure = await uploadArtifacts(
    { spec, dir, client: deps.artifacts, out, ...(deadline ? { deadline } : {}) },
    succeeded,
  );
  out(sectionEnd(`upload_artifacts_on_${succeeded ? "success" : "failure"}`));
  if (failure && succeeded)
    return {
      exitCode: result.exitCode,
      failureReason: failure.failureReason as ExecutionResult["failureReason"],
    };
  return result;
}
