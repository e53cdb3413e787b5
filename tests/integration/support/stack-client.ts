/**
 * Helpers for integration tests against the running stack (MINILAB_WEB_URL): a user with a token,
 * a project with a local work tree, pushing commits and waiting for pipelines over API v4.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createPersonalAccessToken, createProject, createUser } from "@minilab/core";
import type { Db, Project, User } from "@minilab/db";

const run = promisify(execFile);
export const webUrl = process.env["MINILAB_WEB_URL"];

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-c", "credential.helper=", ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "Alice",
      GIT_AUTHOR_EMAIL: "alice@example.com",
      GIT_COMMITTER_NAME: "Alice",
      GIT_COMMITTER_EMAIL: "alice@example.com",
    },
  });
  return stdout;
}

export interface TestProject {
  user: User;
  token: string;
  project: Project;
  repo: string;
  work: string;
  /** Commits the files and pushes `branch`; returns the commit sha. */
  push(files: Record<string, string>, message: string, branch?: string): Promise<string>;
  api<T>(p: string): Promise<T>;
  text(p: string): Promise<string>;
  /** Waits until the pipeline of `sha` reaches a final status. */
  finishedPipeline(sha: string): Promise<{ id: number; status: string }>;
}

/** `base`: the web app to push to and call (another web process than the stack's, e.g.). */
export async function testProject(db: Db, name: string, base = webUrl): Promise<TestProject> {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const user = await createUser({
    db,
    username: `${name}-${suffix}`,
    email: `${name}-${suffix}@example.com`,
    password: "secret-password",
  });
  const { token } = await createPersonalAccessToken({
    db,
    userId: user.id,
    name: "rw",
    scopes: ["api", "write_repository"],
  });
  const project = await createProject({ db, owner: user, name: "demo" });
  const repo = `${project.namespace}/${project.path}`;
  const work = await mkdtemp(path.join(tmpdir(), "minilab-it-"));
  await git(work, "init", "-q", "-b", "main");
  const remote = new URL(`/${repo}.git`, base);
  remote.username = user.username;
  remote.password = token;
  const get = async (p: string) => {
    const res = await fetch(new URL(`/api/v4${p}`, base), { headers: { "PRIVATE-TOKEN": token } });
    if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
    return res;
  };
  const self: TestProject = {
    user,
    token,
    project,
    repo,
    work,
    async push(files, message, branch = "main") {
      for (const [f, content] of Object.entries(files)) await writeFile(path.join(work, f), content);
      await git(work, "add", "-A");
      await git(work, "commit", "-q", "-m", message);
      await git(work, "push", "-q", remote.toString(), `HEAD:refs/heads/${branch}`);
      return (await git(work, "rev-parse", "HEAD")).trim();
    },
    async api<T>(p: string) {
      return (await (await get(p)).json()) as T;
    },
    async text(p: string) {
      return (await get(p)).text();
    },
    async finishedPipeline(sha) {
      const id = encodeURIComponent(repo);
      for (let i = 0; i < 900; i++) {
        const list = await self.api<{ id: number; sha: string; status: string }[]>(
          `/projects/${id}/pipelines`,
        );
        const p = list.find((x) => x.sha === sha);
        if (p && ["success", "failed", "canceled"].includes(p.status)) return p;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`pipeline for ${sha} did not finish`);
    },
  };
  return self;
}
