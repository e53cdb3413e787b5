/**
 * Path lists pipelines need: every file at a commit (`rules:exists`, wildcard `include:local`) and the
 * files two commits differ in (`rules:changes`, `only:changes`). Plain path lists, no contents.
 */
import { GitInputError } from "./errors.ts";
import { runGit } from "./exec.ts";
import { checkFullSha } from "./read-input.ts";

const splitZ = (out: Buffer): string[] => out.toString("utf8").split("\0").filter(Boolean);

/**
 * Every file path (blobs and symlinks; not directories or submodules) at commit `sha`,
 * root-relative, sorted as git stores them. Unknown commit → GitInputError not_found.
 */
export async function listFiles(dir: string, sha: string): Promise<string[]> {
  checkFullSha(sha);
  const r = await runGit(["-C", dir, "ls-tree", "-r", "-z", "--end-of-options", `${sha}^{tree}`]);
  if (r.code !== 0) throw new GitInputError("not_found", `Commit ${sha} not found`);
  const paths: string[] = [];
  for (const rec of splitZ(r.stdout)) {
    // "<mode> SP <type> SP <oid> TAB <path>"
    const tab = rec.indexOf("\t");
    if (rec.slice(0, tab).split(" ")[1] === "blob") paths.push(rec.slice(tab + 1));
  }
  return paths;
}

/**
 * Paths that differ between the trees of `from` and `to` (a direct two-dot tree diff, as GitLab's
 * push `modified_paths`). No rename detection, so a renamed file yields both its old and new path.
 */
export async function changedPaths(dir: string, from: string, to: string): Promise<string[]> {
  checkFullSha(from);
  checkFullSha(to);
  const r = await runGit([
    "-C",
    dir,
    "diff-tree",
    "-r",
    "-z",
    "--name-only",
    "--no-renames",
    "--no-commit-id",
    "--end-of-options",
    from,
    to,
  ]);
  if (r.code !== 0) throw new GitInputError("not_found", `Cannot diff ${from}..${to}`);
  return splitZ(r.stdout);
}

/** The best common ancestor of two commits, or null when their histories are unrelated. */
export async function mergeBase(dir: string, a: string, b: string): Promise<string | null> {
  checkFullSha(a);
  checkFullSha(b);
  const r = await runGit(["-C", dir, "merge-base", "--end-of-options", a, b]);
  if (r.code === 1) return null;
  if (r.code !== 0) throw new GitInputError("not_found", `Cannot find a merge base of ${a} and ${b}`);
  return r.stdout.toString("utf8").trim();
}
