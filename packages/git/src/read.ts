/**
 * Small reads pipelines need (CI config at a commit, commit metadata, ref → sha). Every input is
 * validated before it reaches git's argv so nothing can be read as an option or a revision range.
 */
import { GitInputError } from "./errors.ts";
import { gitOk, runGit } from "./exec.ts";

const SHA = /^[0-9a-f]{4,64}$/;

function checkSha(sha: string): void {
  if (!SHA.test(sha)) throw new GitInputError("invalid_input", `Invalid commit sha: ${JSON.stringify(sha)}`);
}

/** A conservative subset of git-check-ref-format(1): also rejects revision syntax (`^ ~ : @{`). */
export function isValidRefName(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length <= 1024 &&
    !ref.startsWith("-") &&
    !ref.startsWith("/") &&
    !ref.endsWith("/") &&
    !ref.endsWith(".") &&
    !ref.endsWith(".lock") &&
    !ref.includes("..") &&
    !ref.includes("//") &&
    !ref.includes("@{") &&
    !ref.split("/").some((c) => c.startsWith(".")) &&
    // eslint-disable-next-line no-control-regex
    !/[\x00-\x20\x7f~^:?*[\\]/.test(ref)
  );
}

async function commitExists(dir: string, sha: string): Promise<boolean> {
  return (await runGit(["-C", dir, "cat-file", "-e", `${sha}^{commit}`])).code === 0;
}

/**
 * Contents of `filePath` (relative to the repo root; one leading '/' allowed) at commit `sha`,
 * or null when there is no such file (or it is a directory). Unknown commit → GitInputError not_found.
 */
export async function readBlobAtCommit(dir: string, sha: string, filePath: string): Promise<Buffer | null> {
  checkSha(sha);
  const path = filePath.replace(/^\//, "");
  if (
    path === "" ||
    path.includes("\0") ||
    path.split("/").some((s) => s === "" || s === "." || s === "..")
  ) {
    throw new GitInputError("invalid_input", `Invalid file path: ${JSON.stringify(filePath)}`);
  }
  const r = await runGit(["-C", dir, "cat-file", "blob", `${sha}:${path}`]);
  if (r.code === 0) return r.stdout;
  if (!(await commitExists(dir, sha))) throw new GitInputError("not_found", `Commit ${sha} not found`);
  return null;
}

export interface CommitInfo {
  sha: string;
  /** First line of the message (GitLab's CI_COMMIT_TITLE). */
  title: string;
  /** Full message without the trailing newline git stores. */
  message: string;
  authorName: string;
  authorEmail: string;
  authoredAt: Date;
}

/** Metadata of a commit (tags are peeled). Unknown commit → GitInputError not_found. */
export async function readCommit(dir: string, sha: string): Promise<CommitInfo> {
  checkSha(sha);
  if (!(await commitExists(dir, sha))) throw new GitInputError("not_found", `Commit ${sha} not found`);
  const out = await gitOk([
    "-C",
    dir,
    "log",
    "-1",
    "--no-color",
    "--format=%H%x00%an%x00%ae%x00%aI%x00%B",
    `${sha}^{commit}`,
    "--",
  ]);
  const [full, authorName, authorEmail, authoredAt, ...body] = out.toString("utf8").split("\0");
  const message = body.join("\0").replace(/\n+$/, "");
  return {
    sha: full ?? sha,
    title: message.split("\n")[0] ?? "",
    message,
    authorName: authorName ?? "",
    authorEmail: authorEmail ?? "",
    authoredAt: new Date(authoredAt ?? 0),
  };
}

/**
 * The commit sha `ref` points at (branch, tag — peeled — full ref name, or sha), or null when it
 * does not resolve to a commit.
 */
export async function resolveRef(dir: string, ref: string): Promise<string | null> {
  if (!isValidRefName(ref)) throw new GitInputError("invalid_input", `Invalid ref: ${JSON.stringify(ref)}`);
  const r = await runGit([
    "-C",
    dir,
    "rev-parse",
    "--verify",
    "--quiet",
    "--end-of-options",
    `${ref}^{commit}`,
  ]);
  if (r.code !== 0) return null;
  return r.stdout.toString("utf8").trim();
}
