import { mkdir } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { GitInputError } from "./errors.ts";
import { gitOk } from "./exec.ts";

/** A namespace or project path segment; a leading '.' or '-' is refused (hidden dirs, git options). */
const SEGMENT = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/;

function checkSegment(kind: string, s: string): void {
  if (!SEGMENT.test(s) || s.includes("..") || s.endsWith(".git")) {
    throw new GitInputError("invalid_input", `Invalid ${kind} segment: ${JSON.stringify(s)}`);
  }
}

/**
 * Where a project's bare repository lives: `<reposRoot>/<namespace>/<path>.git`.
 * Each segment is validated so a crafted name can never escape reposRoot.
 */
export function repoDir(reposRoot: string, namespace: string, path: string): string {
  checkSegment("namespace", namespace);
  checkSegment("project path", path);
  const root = resolve(reposRoot);
  const dir = join(root, namespace, `${path}.git`);
  // Belt and braces: the regex already forbids separators, but keep the invariant explicit.
  if (!dir.startsWith(root + sep)) throw new GitInputError("invalid_input", "Repository path escapes root");
  return dir;
}

/**
 * Creates a bare repository with default branch `main` that accepts smart-HTTP pushes.
 * Idempotent: `git init` on an existing repo only reinitialises templates, and the config set is
 * a plain overwrite, so calling it again (e.g. a retried project creation) is harmless.
 */
export async function initBareRepo(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await gitOk(["init", "--quiet", "--bare", "-b", "main", dir]);
  await gitOk(["-C", dir, "config", "http.receivepack", "true"]);
}
