/**
 * Push → pipelines: one pipeline per updated branch or tag (deletions create none), source `push`.
 * Called by the git receive-pack adapter after git has applied the ref updates.
 */
import type { Db, Pipeline, Project } from "@minilab/db";
import { readCommit, repoDir, type CommitInfo } from "@minilab/git";
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
  /** `git push -o` values; `ci.skip` (GitLab's push option) creates no pipelines. */
  pushOptions?: readonly string[];
}

const ZERO_SHA = /^0+$/;

/** GitLab skips CI for a commit whose message says so. */
export const hasSkipCiMarker = (message: string): boolean => /\[(ci skip|skip ci)\]/i.test(message);

export async function handlePush({
  db,
  project,
  userId,
  updates,
  pushOptions = [],
}: HandlePushOptions): Promise<Pipeline[]> {
  if (pushOptions.includes("ci.skip")) return [];
  const dir = repoDir(coreConfig().reposDir, project.namespace, project.path);
  const pipelines: Pipeline[] = [];
  // One push often moves many refs to the same commit (e.g. 500 new branches): read it once.
  const commits = new Map<string, Promise<CommitInfo>>();
  for (const { ref: fullRef, oldSha, newSha } of updates) {
    if (ZERO_SHA.test(newSha)) continue;
    const branch = /^refs\/heads\/(.+)$/.exec(fullRef)?.[1];
    const tag = /^refs\/tags\/(.+)$/.exec(fullRef)?.[1];
    const ref = branch ?? tag;
    if (ref === undefined) continue;
    let read = commits.get(newSha);
    if (!read) commits.set(newSha, (read = readCommit(dir, newSha)));
    const commit = await read;
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
