/** Bench fixtures: a public project (so the SSE stream and job page need no login) and git pushes. */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createPersonalAccessToken, createProject, createUser } from "@minilab/core";
import type { Db } from "@minilab/db";

const run = promisify(execFile);

export interface BenchProject {
  projectId: number;
  base: string;
  push(ci: string, message: string): Promise<string>;
  /** Polls until the pipeline of `sha` has a job, returns its id. */
  firstJob(sha: string): Promise<number>;
}

export async function benchProject(db: Db, webUrl: string, name: string): Promise<BenchProject> {
  const suffix = Date.now().toString(36);
  const user = await createUser({
    db,
    username: `${name}-${suffix}`,
    email: `${name}-${suffix}@example.com`,
    password: "bench-password",
  });
  const { token } = await createPersonalAccessToken({
    db,
    userId: user.id,
    name: "bench",
    scopes: ["write_repository"],
  });
  const project = await createProject({ db, owner: user, name, visibility: "public" });
  const remote = new URL(`/${project.namespace}/${project.path}.git`, webUrl);
  remote.username = user.username;
  remote.password = token;
  const work = await mkdtemp(path.join(tmpdir(), "minilab-bench-"));
  const git = (...args: string[]) =>
    run("git", ["-c", "user.name=Bench", "-c", "user.email=bench@example.com", ...args], { cwd: work });
  await git("init", "-q", "-b", "main");
  return {
    projectId: project.id,
    base: `/${project.namespace}/${project.path}`,
    async push(ci, message) {
      await writeFile(path.join(work, ".gitlab-ci.yml"), ci);
      await git("add", "-A");
      await git("commit", "-q", "--allow-empty", "-m", message);
      await git("push", "-q", remote.toString(), "main");
      return (await git("rev-parse", "HEAD")).stdout.trim();
    },
    async firstJob(sha) {
      for (let i = 0; i < 2000; i++) {
        const job = await db.job.findFirst({
          where: { projectId: project.id, pipeline: { sha } },
          select: { id: true },
        });
        if (job) return job.id;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("no job appeared");
    },
  };
}

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
