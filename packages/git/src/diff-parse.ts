/**
 * Parsers for `git diff --raw --numstat -z` (exact paths, status, line counts) and for unified patch
 * text (hunks). Pure functions, so the tricky parsing is tested without git.
 */

export type DiffStatus = "added" | "deleted" | "modified" | "renamed" | "copied" | "type_changed";

export interface DiffLine {
  kind: "context" | "add" | "del" | "meta";
  text: string;
  oldLine: number | null;
  newLine: number | null;
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

export interface FileDiff {
  status: DiffStatus;
  oldPath: string;
  newPath: string;
  oldMode: string;
  newMode: string;
  additions: number;
  deletions: number;
  binary: boolean;
  hunks: DiffHunk[];
  /** The patch was cut (per-file or whole-diff limit); `hunks` may be partial or empty. */
  truncated: boolean;
}

const STATUS: Record<string, DiffStatus> = {
  A: "added",
  D: "deleted",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "type_changed",
};

/** Parses `--raw --numstat -z` output into files without hunks, in git's order. */
export function parseRawNumstat(out: string): FileDiff[] {
  const toks = out.split("\0");
  const files: FileDiff[] = [];
  let i = 0;
  // Raw records first: ":<om> <nm> <oo> <no> <S[score]>\0<path>[\0<path2>]\0"
  while (i < toks.length && (toks[i] ?? "").startsWith(":")) {
    const [om = "", nm = "", , , st = ""] = (toks[i] ?? "").slice(1).split(" ");
    const letter = st[0] ?? "M";
    const two = letter === "R" || letter === "C";
    const oldPath = toks[i + 1] ?? "";
    const newPath = two ? (toks[i + 2] ?? "") : oldPath;
    files.push({
      status: STATUS[letter] ?? "modified",
      oldPath,
      newPath,
      oldMode: om,
      newMode: nm,
      additions: 0,
      deletions: 0,
      binary: false,
      hunks: [],
      truncated: false,
    });
    i += two ? 3 : 2;
  }
  // Then numstat: "<add>\t<del>\t<path>\0" or, for renames, "<add>\t<del>\t\0<old>\0<new>\0".
  for (const f of files) {
    const tok = toks[i] ?? "";
    const [a = "", d = "", path = ""] = tok.split("\t");
    i += path === "" ? 3 : 1;
    f.binary = a === "-" && d === "-";
    f.additions = f.binary ? 0 : Number(a) || 0;
    f.deletions = f.binary ? 0 : Number(d) || 0;
  }
  return files;
}

/** Splits a whole patch into per-file chunks (each starting with `diff --git`). */
export function splitPatch(patch: string): string[] {
  const parts = patch.split(/^(?=diff --git )/m);
  return parts.filter((p) => p.startsWith("diff --git "));
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** The hunks of one file's patch chunk; lines before the first `@@` (headers) are skipped. */
export function parseHunks(chunk: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let cur: DiffHunk | null = null;
  let oldN = 0;
  let newN = 0;
  const lines = chunk.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const m = HUNK.exec(line);
    if (m) {
      cur = { header: line, lines: [] };
      hunks.push(cur);
      oldN = Number(m[1]);
      newN = Number(m[2]);
      continue;
    }
    if (!cur) continue;
    const c = line[0];
    const text = line.slice(1);
    if (c === "+") cur.lines.push({ kind: "add", text, oldLine: null, newLine: newN++ });
    else if (c === "-") cur.lines.push({ kind: "del", text, oldLine: oldN++, newLine: null });
    else if (c === "\\") cur.lines.push({ kind: "meta", text: line, oldLine: null, newLine: null });
    else cur.lines.push({ kind: "context", text, oldLine: oldN++, newLine: newN++ });
  }
  return hunks;
}
