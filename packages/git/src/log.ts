/** Commit history with pagination, via one `git log` per page. */
import { runGit } from "./exec.ts";
import { checkFullSha, normalizePath } from "./read-input.ts";

export interface CommitSummary {
  sha: string;
  parents: string[];
  /** First line of the message. */
  title: string;
  /** Full message without trailing newlines. */
  message: string;
  authorName: string;
  authorEmail: string;
  authoredAt: Date;
  committerName: string;
  committerEmail: string;
  committedAt: Date;
}

const FIELDS = ["%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"];
const SEP = "\x1f";

/** Parses `git log -z --format=<FIELDS joined by SEP>` output. Exported for `compare`. */
export function parseLog(out: Buffer): CommitSummary[] {
  const commits: CommitSummary[] = [];
  for (const rec of out.toString("utf8").split("\0")) {
    if (!rec) continue;
    const [sha = "", parents = "", an = "", ae = "", ad = "", cn = "", ce = "", cd = "", ...body] =
      rec.split(SEP);
    const message = body.join(SEP).replace(/\n+$/, "");
    commits.push({
      sha,
      parents: parents ? parents.split(" ") : [],
      title: message.split("\n")[0] ?? "",
      message,
      authorName: an,
      authorEmail: ae,
      authoredAt: new Date(ad),
      committerName: cn,
      committerEmail: ce,
      committedAt: new Date(cd),
    });
  }
  return commits;
}

export const LOG_FORMAT = `--format=${FIELDS.join(SEP)}`;

export interface CommitPage {
  commits: CommitSummary[];
  /** More commits follow this page. */
  hasMore: boolean;
}

/**
 * Commits reachable from `sha`, newest first (git's default order), optionally only those touching
 * `path`. Asks git for one extra commit to know whether another page exists.
 */
export async function listCommits(
  dir: string,
  sha: string,
  opts: { path?: string; skip?: number; limit?: number } = {},
): Promise<CommitPage> {
  checkFullSha(sha);
  const skip = Math.max(0, Math.floor(opts.skip ?? 0));
  const limit = Math.min(500, Math.max(1, Math.floor(opts.limit ?? 20)));
  const p = normalizePath(opts.path ?? "");
  const args = [
    "-C",
    dir,
    "log",
    "-z",
    "--no-color",
    LOG_FORMAT,
    `--skip=${skip}`,
    `--max-count=${limit + 1}`,
  ];
  args.push("--end-of-options", sha, "--");
  if (p) args.push(p);
  const r = await runGit(args);
  if (r.code !== 0) throw new Error(`git log failed: ${r.stderr.trim()}`);
  const commits = parseLog(r.stdout);
  return { commits: commits.slice(0, limit), hasMore: commits.length > limit };
}

/** The commit `sha` (full metadata), or null when there is no such commit. */
export async function getCommit(dir: string, sha: string): Promise<CommitSummary | null> {
  checkFullSha(sha);
  const r = await runGit([
    "-C",
    dir,
    "log",
    "-z",
    "-1",
    "--no-color",
    LOG_FORMAT,
    "--end-of-options",
    `${sha}^{commit}`,
    "--",
  ]);
  if (r.code !== 0) return null;
  return parseLog(r.stdout)[0] ?? null;
}
