/**
 * Where a job's sources come from, per GitLab's job variables:
 * - `GIT_STRATEGY`: `clone` (default: a fresh directory per job), `fetch` (reuse a per-project
 *   directory kept between jobs, only fetching what changed), `none` (an empty directory, no git).
 * - `GIT_DEPTH`: shallow depth, default 20; 0 = full history.
 * - `GIT_CLEAN_FLAGS`: flags for `git clean` after checkout, default `-ffdx`; `none` skips it.
 *
 * Fetch directories are shared between jobs of one project, so at most one job uses each at a time;
 * a second concurrent job of the same project falls back to a clone in its own directory.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { JobSpec } from "@minilab/contracts";

export interface Workdir {
  dir: string;
  strategy: "clone" | "fetch" | "none";
  depth: number;
  cleanFlags: string;
  /** Removes per-job directories; releases (but keeps) fetch directories. */
  release(): Promise<void>;
}

const inUse = new Set<string>();

export async function prepareWorkdir(spec: JobSpec, buildsDir: string): Promise<Workdir> {
  const vars = new Map(spec.variables.map((v) => [v.key, v.value]));
  const requested = vars.get("GIT_STRATEGY")?.trim() || "clone";
  const depthText = vars.get("GIT_DEPTH")?.trim();
  const depth = depthText && /^\d+$/.test(depthText) ? Number(depthText) : 20;
  const cleanFlags = vars.get("GIT_CLEAN_FLAGS")?.trim() || "-ffdx";
  const jobDir = path.join(buildsDir, `job-${spec.id}`);
  const base = { depth, cleanFlags };

  if (requested === "fetch") {
    const dir = path.join(buildsDir, "fetch", spec.git.projectDir.replace(/[^A-Za-z0-9._-]+/g, "_"));
    if (!inUse.has(dir)) {
      inUse.add(dir);
      await mkdir(dir, { recursive: true });
      return { ...base, dir, strategy: "fetch", release: () => Promise.resolve(void inUse.delete(dir)) };
    }
  }
  await rm(jobDir, { recursive: true, force: true });
  await mkdir(jobDir, { recursive: true });
  return {
    ...base,
    dir: jobDir,
    strategy: requested === "none" ? "none" : "clone",
    release: () => rm(jobDir, { recursive: true, force: true }).catch(() => undefined),
  };
}
