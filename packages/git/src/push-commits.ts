/**
 * The commits a push brought, for GitLab's push webhook payload: `from..to` newest first (at most
 * `limit`), each with the paths it added, modified and removed, plus the total count.
 */
import { runGit } from "./exec.ts";
import { LOG_FORMAT, parseLog, type CommitSummary } from "./log.ts";
import { checkFullSha } from "./read-input.ts";

export interface PushCommit extends CommitSummary {
  added: string[];
  modified: string[];
  removed: string[];
}

const ZERO = /^0+$/;

/** `from` may be the zero sha (a new ref): then only `to` itself is listed, as one commit. */
export async function listPushCommits(
  dir: string,
  from: string,
  to: string,
  limit = 20,
): Promise<{ commits: PushCommit[]; total: number }> {
  if (ZERO.test(to)) return { commits: [], total: 0 };
  checkFullSha(to);
  const isNew = ZERO.test(from);
  if (!isNew) checkFullSha(from);
  const count = isNew ? "--max-count=1" : `--max-count=${limit}`;
  const range = isNew ? to : `${from}..${to}`;
  const r = await runGit([
    "-C",
    dir,
    "log",
    "-z",
    "--no-color",
    LOG_FORMAT,
    count,
    "--end-of-options",
    range,
    "--",
  ]);
  if (r.code !== 0) return { commits: [], total: 0 };
  const summaries = parseLog(r.stdout);
  let total = summaries.length;
  if (!isNew) {
    const c = await runGit(["-C", dir, "rev-list", "--count", "--end-of-options", `${from}..${to}`, "--"]);
    if (c.code === 0) total = Number(c.stdout.toString("utf8").trim()) || summaries.length;
  }
  const commits = await Promise.all(
    summaries.map(async (s) => ({ ...s, ...(await fileChanges(dir, s.sha)) })),
  );
  return { commits, total };
}

async function fileChanges(dir: string, sha: string) {
  const out = { added: [] as string[], modified: [] as string[], removed: [] as string[] };
  const r = await runGit([
    "-C",
    dir,
    "diff-tree",
    "-r",
    "-z",
    "--root",
    "--no-renames",
    "--no-commit-id",
    "--name-status",
    "--end-of-options",
    sha,
  ]);
  if (r.code !== 0) return out;
  const parts = r.stdout.toString("utf8").split("\0").filter(Boolean);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i]!;
    const path = parts[i + 1]!;
    if (status.startsWith("A")) out.added.push(path);
    else if (status.startsWith("D")) out.removed.push(path);
    else out.modified.push(path);
  }
  return out;
}
