import type { Project } from "@minilab/db";
import { isGitInputError, isValidRefName, repoDir, resolveRef } from "@minilab/git";
import { coreConfig } from "../config.ts";
import { AppError } from "../errors.ts";

export interface PipelineRef {
  /** Short name: `main`, `v1.0`. */
  ref: string;
  tag: boolean;
  sha: string;
}

/**
 * A short branch or tag name (or a full `refs/heads/…` / `refs/tags/…`) → the commit a pipeline would
 * run on. Branches win over tags of the same name, as GitLab's trigger API. Unknown → null.
 */
export async function resolvePipelineRef(
  project: Pick<Project, "namespace" | "path">,
  ref: string,
): Promise<PipelineRef | null> {
  const dir = repoDir(coreConfig().reposDir, project.namespace, project.path);
  const short = ref.replace(/^refs\/(heads|tags)\//, "");
  const candidates: Array<{ full: string; tag: boolean }> = ref.startsWith("refs/tags/")
    ? [{ full: ref, tag: true }]
    : ref.startsWith("refs/heads/")
      ? [{ full: ref, tag: false }]
      : [
          { full: `refs/heads/${ref}`, tag: false },
          { full: `refs/tags/${ref}`, tag: true },
        ];
  if (short === "" || !isValidRefName(short)) return null;
  for (const c of candidates) {
    try {
      const sha = await resolveRef(dir, c.full);
      if (sha) return { ref: short, tag: c.tag, sha };
    } catch (e) {
      if (isGitInputError(e)) throw new AppError("invalid_input", e.message);
      throw e;
    }
  }
  return null;
}
