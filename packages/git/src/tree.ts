/** Directory listings at a commit, via `git ls-tree` (one process per listing). */
import { GitInputError } from "./errors.ts";
import { runGit } from "./exec.ts";
import { checkFullSha, normalizePath } from "./read-input.ts";

export type TreeEntryType = "tree" | "blob" | "commit";

export interface TreeEntry {
  name: string;
  /** `tree` = directory, `blob` = file (also symlinks, see mode), `commit` = submodule. */
  type: TreeEntryType;
  /** Octal mode as git stores it: 100644, 100755, 120000 (symlink), 040000, 160000. */
  mode: string;
  /** Bytes, for blobs only. */
  size: number | null;
  /** Repository-relative path of the entry. */
  path: string;
  oid: string;
}

const ORDER: Record<TreeEntryType, number> = { tree: 0, commit: 1, blob: 2 };

/**
 * Entries of the directory `path` ("" = root) at commit `sha`, directories first then by name.
 * Null when `path` does not exist at that commit or is not a directory.
 */
export async function listTree(dir: string, sha: string, path = ""): Promise<TreeEntry[] | null> {
  checkFullSha(sha);
  const p = normalizePath(path);
  const r = await runGit(["-C", dir, "ls-tree", "-z", "-l", "--end-of-options", p ? `${sha}:${p}` : sha]);
  if (r.code !== 0) {
    if (/not a tree object|Not a valid object name|bad revision/i.test(r.stderr)) return null;
    throw new GitInputError("not_found", `Cannot list ${JSON.stringify(p)} at ${sha}`);
  }
  const entries: TreeEntry[] = [];
  for (const rec of r.stdout.toString("utf8").split("\0")) {
    if (!rec) continue;
    // "<mode> SP <type> SP <oid> SP+ <size> TAB <name>"
    const tab = rec.indexOf("\t");
    const [mode = "", type = "", oid = "", size = "-"] = rec.slice(0, tab).split(/ +/);
    const name = rec.slice(tab + 1);
    entries.push({
      name,
      type: type as TreeEntryType,
      mode,
      size: size === "-" ? null : Number(size),
      path: p ? `${p}/${name}` : name,
      oid,
    });
  }
  return entries.sort((a, b) => ORDER[a.type] - ORDER[b.type] || a.name.localeCompare(b.name));
}

/** `tree`, `blob`, `commit` (submodule) or null when `path` does not exist at `sha`. */
export async function pathType(dir: string, sha: string, path: string): Promise<TreeEntryType | null> {
  checkFullSha(sha);
  const p = normalizePath(path);
  if (p === "") return "tree";
  const r = await runGit(["-C", dir, "ls-tree", "-z", "--end-of-options", sha, "--", p]);
  if (r.code !== 0) return null;
  const rec = r.stdout.toString("utf8").split("\0")[0] ?? "";
  // ls-tree prints the entry only when its full path matches.
  if (rec.slice(rec.indexOf("\t") + 1) !== p) return null;
  const type = rec.split(" ")[1];
  return type === "tree" || type === "blob" || type === "commit" ? type : null;
}
