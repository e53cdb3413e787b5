/**
 * Validation shared by the repository-browser reads. Revisions and paths come from URLs, so each is
 * checked before it reaches git's argv: nothing may be read as an option, a revision range or a
 * path outside the tree.
 */
import { GitInputError } from "./errors.ts";
import { isValidRefName } from "./read.ts";

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** A full object id (SHA-1 or SHA-256), as returned by the resolving reads. */
export function checkFullSha(sha: string): void {
  if (!SHA.test(sha)) throw new GitInputError("invalid_input", `Invalid commit sha: ${JSON.stringify(sha)}`);
}

/** A branch, tag, full ref name or (abbreviated) sha; never revision syntax. */
export function checkRev(rev: string): void {
  if (!isValidRefName(rev)) throw new GitInputError("invalid_input", `Invalid ref: ${JSON.stringify(rev)}`);
}

/**
 * A repository-relative path: "" for the root, else segments without "", ".", ".." or NUL/newline
 * (newline would break `cat-file --batch` framing). Leading/trailing slashes are tolerated.
 */
export function normalizePath(path: string): string {
  const p = path.replace(/^\/+|\/+$/g, "");
  if (p === "") return "";
  if (/[\0\n]/.test(p) || p.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw new GitInputError("invalid_input", `Invalid path: ${JSON.stringify(path)}`);
  }
  return p;
}

/** git's own heuristic (buffer_is_binary): a NUL byte in the first 8000 bytes. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}
