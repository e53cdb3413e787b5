/**
 * The runner's artifact steps around the script (GitLab's "Downloading artifacts" /
 * "Uploading artifacts" sections):
 * - before: every dependency's archive is downloaded (with this job's token) and extracted into the
 *   project dir; a dependency that cannot be fetched fails the job (`missing_dependency_failure`).
 * - after: when `artifacts:when` matches the outcome, the selected files are zipped and uploaded,
 *   and each `reports:dotenv` file is uploaded as is. A failed upload fails an otherwise successful job.
 */
import { lstat, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { JobSpec } from "@minilab/contracts";
import { errorLine, infoLine } from "@minilab/executor";
import { FinalHttpError } from "./api-client.ts";
import type { ArtifactClient, ArtifactRetry } from "./artifact-client.ts";
import { expandVars } from "./expand-vars.ts";
import { normalisePattern, selectFiles } from "./path-globs.ts";
import { extractZip, writeZip } from "./zip-files.ts";

export interface StepContext {
  spec: JobSpec;
  /** Host directory holding the project (bind-mounted into the container for docker). */
  dir: string;
  client: ArtifactClient;
  out: (b: Buffer) => void;
  /** Read before each retry of an unreachable server: cuts the retrying short (runner shutdown). */
  deadline?: () => number;
}

export class StepFailure extends Error {
  constructor(
    message: string,
    readonly failureReason: string,
  ) {
    super(message);
  }
}

/**
 * Retry settings for one request: the first retry of a streak is said in the job log (the job may
 * then wait minutes for the web app to come back, and the log should tell why).
 */
function retryOf(ctx: StepContext, what: string): ArtifactRetry {
  return {
    ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
    onRetry: (err, attempt) => {
      if (attempt === 1)
        ctx.out(
          errorLine(`WARNING: ${what} failed (${message(err)}); retrying while the server is unreachable`),
        );
    },
  };
}

const varsOf = (spec: JobSpec): Map<string, string> => new Map(spec.variables.map((v) => [v.key, v.value]));
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;

export async function downloadDependencies(ctx: StepContext): Promise<void> {
  const { spec, dir, client, out } = ctx;
  const deps = spec.dependencies ?? [];
  if (deps.length === 0) return;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "minilab-artifacts-"));
  try {
    for (const dep of deps) {
      out(infoLine(`Downloading artifacts for ${dep.name} (${dep.id})...`));
      const file = path.join(tmp, `${dep.id}.zip`);
      try {
        const size = await client.download(dep.id, spec.token, file, retryOf(ctx, "Downloading artifacts"));
        const n = await extractZip(file, dir);
        out(Buffer.from(`Downloading artifacts from coordinator... ok (${mb(size)}, ${n} files)\n`));
      } catch (err) {
        throw new StepFailure(
          `downloading artifacts of ${dep.name} (${dep.id}) failed: ${message(err)}`,
          err instanceof FinalHttpError && err.status === 404
            ? "missing_dependency_failure"
            : "runner_system_failure",
        );
      } finally {
        await rm(file, { force: true });
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Returns a failure to apply to the job, or null. */
export async function uploadArtifacts(ctx: StepContext, succeeded: boolean): Promise<StepFailure | null> {
  const a = ctx.spec.artifacts;
  if (!a) return null;
  if (a.when === "on_success" ? !succeeded : a.when === "on_failure" ? succeeded : false) return null;
  const { spec, dir, client, out } = ctx;
  const vars = varsOf(spec);
  try {
    if (a.paths.length > 0 || a.untracked) {
      const sel = await selectFiles(dir, {
        paths: a.paths.map((p) => expandVars(p, vars)),
        exclude: a.exclude.map((p) => expandVars(p, vars)),
        untracked: a.untracked,
      });
      for (const line of sel.report) out(Buffer.from(`${line}\n`));
      if (sel.files.length === 0) out(errorLine("ERROR: No files to upload"));
      else await uploadArchive(ctx, sel.files, expandVars(a.name, vars), a.expireIn);
    }
    for (const report of a.dotenv) {
      const rel = normalisePattern(expandVars(report, vars));
      const file = rel ? path.join(dir, rel) : null;
      // lstat: a symlink planted by the job must not make the runner upload a host file.
      if (!file || !(await lstat(file).catch(() => null))?.isFile()) {
        out(errorLine(`WARNING: ${report}: no matching files (reports:dotenv)`));
        continue;
      }
      await client.upload(
        spec.id,
        spec.token,
        file,
        { type: "dotenv", expireIn: a.expireIn },
        retryOf(ctx, "Uploading artifacts"),
      );
      out(Buffer.from(`Uploading artifacts as "dotenv" to coordinator... 201 Created\n`));
    }
    return null;
  } catch (err) {
    out(errorLine(`ERROR: Uploading artifacts failed: ${message(err)}`));
    const userError = err instanceof FinalHttpError && (err.status === 413 || err.status === 400);
    return new StepFailure(message(err), userError ? "script_failure" : "runner_system_failure");
  }
}

async function uploadArchive(
  ctx: StepContext,
  files: string[],
  name: string,
  expireIn: string | null,
): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "minilab-artifacts-"));
  try {
    const zip = path.join(tmp, "artifacts.zip");
    const size = await writeZip(ctx.dir, files, zip);
    await ctx.client.upload(
      ctx.spec.id,
      ctx.spec.token,
      zip,
      { type: "archive", expireIn, name },
      retryOf(ctx, "Uploading artifacts"),
    );
    ctx.out(
      Buffer.from(
        `Uploading artifacts as "archive" to coordinator... 201 Created (${files.length} files, ${mb(size)})\n`,
      ),
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
