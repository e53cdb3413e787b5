import type { Db } from "@minilab/db";
import { listBranches, listTags, type RefInfo } from "@minilab/git";
import { latestPipelinesByRef, type PipelineView } from "../queries/index.ts";
import { gitRead, readableRepoDir, type RepoReadOptions } from "./access.ts";

export interface RefWithPipeline extends RefInfo {
  /** Latest pipeline created for this ref name (any sha), or null. */
  pipeline: PipelineView | null;
}

async function withPipelines(
  db: Db,
  projectId: number,
  refs: RefInfo[],
  tag: boolean,
): Promise<RefWithPipeline[]> {
  const latest = await latestPipelinesByRef({ db, projectId, refs: refs.map((r) => r.name), tag });
  return refs.map((r) => ({ ...r, pipeline: latest.get(r.name) ?? null }));
}

/** Branches, most recent first, each with its latest pipeline. */
export async function listProjectBranches(opts: RepoReadOptions): Promise<RefWithPipeline[]> {
  const dir = await readableRepoDir(opts);
  const refs = await gitRead(() => listBranches(dir));
  return withPipelines(opts.db, opts.project.id, refs, false);
}

/** Tags, newest first, each with its latest pipeline. */
export async function listProjectTags(opts: RepoReadOptions): Promise<RefWithPipeline[]> {
  const dir = await readableRepoDir(opts);
  const refs = await gitRead(() => listTags(dir));
  return withPipelines(opts.db, opts.project.id, refs, true);
}

/** How many branches and tags the repository has (the project overview's counts). */
export async function countProjectRefs(opts: RepoReadOptions): Promise<{ branches: number; tags: number }> {
  const dir = await readableRepoDir(opts);
  const [branches, tags] = await Promise.all([
    gitRead(() => listBranches(dir)),
    gitRead(() => listTags(dir)),
  ]);
  return { branches: branches.length, tags: tags.length };
}
