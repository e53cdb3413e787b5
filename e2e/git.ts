/** Helpers that drive the real `git` CLI from a temporary working directory, as a user would. */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", args, {
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

/** A new local repository on branch main. */
export async function newWorkTree(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "minilab-e2e-"));
  await git(dir, "init", "-q", "-b", "main");
  return dir;
}

export async function commitFiles(
  dir: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content);
  }
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", message);
  return (await git(dir, "rev-parse", "HEAD")).trim();
}

/** `http://user:token@host/ns/project.git` from the clone URL shown in the UI. */
export function withCredentials(cloneUrl: string, user: string, token: string): string {
  const u = new URL(cloneUrl);
  u.username = user;
  u.password = token;
  return u.toString();
}
