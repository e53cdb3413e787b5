/**
 * A throwaway world for CI integration tests: fresh migrated database, temp data dir with a real bare
 * repository, a user, a project, a registered runner, and a unique BullMQ prefix on real Redis.
 * Needs DATABASE_URL (a server) and REDIS_URL.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { initBareRepo, repoDir } from "@minilab/git";
import { closeShared, getJobsQueue } from "@minilab/queue";
import { coreConfig, createPipeline, registerRunner, resetCoreConfig } from "@minilab/core";
import type { Pipeline, Project, User } from "@minilab/db";

export interface CiFixture {
  t: TestDatabase;
  user: User;
  project: Project;
  runnerToken: string;
  /** Commits `files` on top of the branch tip (creating it) and pushes; returns the new sha. */
  commit(files: Record<string, string>, message?: string, branch?: string): string;
  /**
   * Commits `yaml` as .gitlab-ci.yml on a branch of its own (a newer pipeline on the same ref would
   * cancel older ones) and creates its push pipeline.
   */
  pipelineOf(yaml: string): Promise<Pipeline>;
  /** Ids of CI jobs currently waiting on the jobs queue. */
  queuedJobIds(): Promise<number[]>;
  close(): Promise<void>;
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Ada",
      GIT_AUTHOR_EMAIL: "ada@example.com",
      GIT_COMMITTER_NAME: "Ada",
      GIT_COMMITTER_EMAIL: "ada@example.com",
    },
  }).trim();

export async function ciFixture(): Promise<CiFixture> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "minilab-ci-"));
  process.env["MINILAB_DATA_DIR"] = dataDir;
  process.env["MINILAB_QUEUE_PREFIX"] = `test-${randomUUID()}`;
  resetCoreConfig();
  const t = await createTestDatabase();
  const db = t.db;
  const user = await db.user.create({
    data: { username: "ada", email: "ada@example.com", name: "Ada L", passwordHash: "x" },
  });
  const project = await db.project.create({
    data: { namespace: "ada", path: "calc", name: "Calc", ownerId: user.id },
  });
  const bare = repoDir(coreConfig().reposDir, project.namespace, project.path);
  await initBareRepo(bare);
  const work = path.join(dataDir, "work");
  mkdirSync(work);
  git(work, "init", "-q", "-b", "main");
  git(work, "remote", "add", "origin", bare);
  const { token } = await registerRunner({ db });
  const commit = (files: Record<string, string>, message = "change", branch = "main"): string => {
    git(work, "checkout", "-q", "-B", branch);
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(work, name), content);
    git(work, "add", "-A");
    git(work, "commit", "-q", "--allow-empty", "-m", message);
    git(work, "push", "-q", "origin", `${branch}:refs/heads/${branch}`);
    return git(work, "rev-parse", "HEAD");
  };
  let branches = 0;

  return {
    t,
    user,
    project,
    runnerToken: token,
    commit,
    async pipelineOf(yaml) {
      const ref = `p${++branches}`;
      const sha = commit({ ".gitlab-ci.yml": yaml }, "change", ref);
      const p = await createPipeline({
        db,
        project,
        ref,
        tag: false,
        sha,
        beforeSha: "0".repeat(40),
        source: "push",
        userId: user.id,
      });
      if (!p) throw new Error("expected a pipeline");
      return p;
    },
    async queuedJobIds() {
      const items = await getJobsQueue().getJobs(["waiting", "prioritized", "delayed"]);
      return items.map((i) => i.data.jobId).sort((a, b) => a - b);
    },
    async close() {
      await getJobsQueue().obliterate({ force: true });
      await closeShared();
      await t.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
