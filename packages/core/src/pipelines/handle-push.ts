/**
 * Push → pipelines: one pipeline per updated branch or tag (deletions create none), source `push`.
 * Called by the git receive-pack adapter after git has applied the ref updates.
 */
import type { Db, Pipeline, Project } from "@minilab/db";
import { readCommit, repoDir } from "@minilab/git";
import { coreConfig } from "../config.ts";
import { createPipeline } from "./create-pipeline.ts";

export interface RefUpdateInput {
  ref: string;
  oldSha: string;
  newSha: string;
}

export interface HandlePushOptions {
  db: Db;
  project: Pick<Project, "id" | "namespace" | "path">;
  userId: number | null;
  updates: readonly RefUpdateInput[];
}

const ZERO_SHA = /^0+$/;

/** GitLab skips CI for a commit whose message says so. */
export const hasSkipCiMarker = (message: string): boolean => /\[(ci skip|skip ci)\]/i.test(message);

export async function handlePush({ db, project, userId, updates }: HandlePushOptions): Promise<Pipeline[]> {
  const dir = repoDir(coreConfig().reposDir, project.namespace, project.path);
  const pipelines: Pipeline[] = [];
  for (const { ref: fullRef, oldSha, newSha } of updates) {
    if (ZERO_SHA.test(newSha)) continue;
    const branch = /^refs\/heads\/(.+)$/.exec(fullRef)?.[1];
    const tag = /^refs\/tags\/(.+)$/.exec(fullRef)?.[1];
    const ref = branch ?? tag;
    if (ref === undefined) continue;
    const commit = await readCommit(dir, newSha);
    if (hasSkipCiMarker(commit.message)) continue;
    const pipeline = await createPipeline({
      db,
      project,
      ref,
      tag: tag !== undefined,
      sha: commit.sha,
      beforeSha: oldSha,
      source: "push",
      userId,
    });
    if (pipeline) pipelines.push(pipeline);
  }
  return pipelines;
}
