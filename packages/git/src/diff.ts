/**
 * Diffs for the commit and compare pages: file list with exact paths and counts from
 * `--raw --numstat -z`, hunks from the patch text. Both are capped so a huge diff stays cheap.
 */
import { runGitCapped } from "./capped.ts";
import { runGit } from "./exec.ts";
import { parseHunks, parseRawNumstat, splitPatch, type FileDiff } from "./diff-parse.ts";
import { LOG_FORMAT, parseLog, type CommitSummary } from "./log.ts";
import { checkFullSha } from "./read-input.ts";

export interface DiffLimits {
  /** Whole patch text read from git. @defaultValue 2 MiB */
  maxPatchBytes?: number;
  /** Lines shown per file; beyond that the file is marked truncated. @defaultValue 2000 */
  maxLinesPerFile?: number;
  /** Files listed. @defaultValue 1000 */
  maxFiles?: number;
}

export interface Diff {
  files: FileDiff[];
  /** Some files or hunks were left out because of the limits. */
  truncated: boolean;
}

const COMMON = ["--no-color", "--no-ext-diff", "-M", "--full-index"];

/** Diff from `base` (null = empty tree, for root commits) to `head`. Both must be full shas. */
export async function diffCommits(
  dir: string,
  base: string | null,
  head: string,
  limits: DiffLimits = {},
): Promise<Diff> {
  if (base) checkFullSha(base);
  checkFullSha(head);
  const maxPatch = limits.maxPatchBytes ?? 2 * 1024 * 1024;
  const maxLines = limits.maxLinesPerFile ?? 2000;
  const maxFiles = limits.maxFiles ?? 1000;
  const range = base ? ["diff-tree", "-r", base, head] : ["diff-tree", "-r", "--root", head];
  const [meta, patch] = await Promise.all([
    runGitCapped(
      [
        "-C",
        dir,
        ...range.slice(0, 2),
        "-z",
        "--raw",
        "--numstat",
        ...COMMON,
        "--no-commit-id",
        ...range.slice(2),
      ],
      16 * 1024 * 1024,
    ),
    runGitCapped(
      ["-C", dir, ...range.slice(0, 2), "-p", ...COMMON, "--no-commit-id", ...range.slice(2)],
      maxPatch,
    ),
  ]);
  if (meta.code !== 0) throw new Error(`git diff-tree failed: ${meta.stderr.trim()}`);
  const files = parseRawNumstat(meta.stdout.toString("utf8"));
  const chunks = splitPatch(patch.stdout.toString("utf8"));
  let truncated = meta.truncated || files.length > maxFiles;
  files.forEach((f, i) => {
    const chunk = chunks[i];
    if (chunk === undefined) {
      f.truncated = !f.binary;
      return;
    }
    // The last chunk is partial when git was cut off mid-file.
    const cut = patch.truncated && i === chunks.length - 1;
    const hunks = parseHunks(chunk);
    let lines = 0;
    f.hunks = [];
    for (const h of hunks) {
      if (lines + h.lines.length > maxLines) {
        f.truncated = true;
        break;
      }
      lines += h.lines.length;
      f.hunks.push(h);
    }
    if (cut) f.truncated = true;
  });
  if (files.some((f) => f.truncated)) truncated = true;
  return { files: files.slice(0, maxFiles), truncated };
}

/** A commit's diff against its first parent (GitLab shows merges the same way). */
export async function readCommitDiff(
  dir: string,
  sha: string,
  parents: string[],
  limits?: DiffLimits,
): Promise<Diff> {
  return diffCommits(dir, parents[0] ?? null, sha, limits);
}

export interface Comparison {
  /** Merge base of from and to, or null when the histories are unrelated. */
  mergeBase: string | null;
  /** Commits in `to` that are not in `from`, newest first (capped at 500). */
  commits: CommitSummary[];
  diff: Diff;
}

/** GitLab's compare `from...to`: commits from..to and the diff merge-base(from, to)..to. */
export async function compareCommits(
  dir: string,
  from: string,
  to: string,
  limits?: DiffLimits,
): Promise<Comparison> {
  checkFullSha(from);
  checkFullSha(to);
  const mb = await runGit(["-C", dir, "merge-base", from, to]);
  const mergeBase = mb.code === 0 ? mb.stdout.toString("utf8").trim() : null;
  const log = await runGit([
    "-C",
    dir,
    "log",
    "-z",
    "--no-color",
    LOG_FORMAT,
    "--max-count=500",
    `${from}..${to}`,
    "--",
  ]);
  if (log.code !== 0) throw new Error(`git log failed: ${log.stderr.trim()}`);
  const diff = await diffCommits(dir, mergeBase ?? from, to, limits);
  return { mergeBase, commits: parseLog(log.stdout), diff };
}
