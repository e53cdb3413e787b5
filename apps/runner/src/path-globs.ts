/**
 * Selects files under a job's project dir by `artifacts:paths` / `cache:paths` globs, as
 * gitlab-runner: `*` and `?` stay within one path segment, `**` spans segments, `{a,b}` alternates,
 * `[abc]` is a class; a pattern that names a directory takes its whole tree. `exclude:` patterns
 * drop matching files (or whole matching directories). Paths outside the project dir (absolute, or
 * with `..`) are refused, with a warning.
 */
import { execFile } from "node:child_process";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Selection {
  /** Relative paths (forward slashes) of regular files, sorted. */
  files: string[];
  /** One line per pattern: how many files it matched, or why it was refused. */
  report: string[];
}

export function globToRegExp(pattern: string): RegExp {
  let re = "";
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 3 : 2;
      continue;
    }
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) re += "\\[";
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else re += /[.+^$()|\\]/.test(c) ? `\\${c}` : c;
    i++;
  }
  return new RegExp(`^${re}$`);
}

/** `./out/` → `out`; null when the pattern leaves the project dir. */
export function normalisePattern(pattern: string): string | null {
  const p = pattern.trim().replace(/\\/g, "/");
  if (p === "" || p.startsWith("/")) return null;
  const norm = path.posix.normalize(p).replace(/\/+$/, "");
  if (norm === ".." || norm.startsWith("../")) return null;
  return norm === "." ? "**" : norm;
}

/** Every regular file under `root` (relative, forward slashes), `.git` skipped. */
export async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (child !== ".git") await visit(child);
      } else if (e.isFile()) out.push(child);
    }
  };
  await visit("");
  return out;
}

/** Files git does not track, ignored ones included (GitLab's `untracked: true`). */
export async function untrackedFiles(root: string): Promise<string[]> {
  const st = await lstat(path.join(root, ".git")).catch(() => null);
  if (!st) return walkFiles(root);
  const { stdout } = await run("git", ["-C", root, "ls-files", "--others", "-z"], { maxBuffer: 64 << 20 });
  return stdout.split("\0").filter(Boolean);
}

const matchesOrUnder = (re: RegExp, file: string): boolean => {
  if (re.test(file)) return true;
  for (let i = file.indexOf("/"); i !== -1; i = file.indexOf("/", i + 1))
    if (re.test(file.slice(0, i))) return true;
  return false;
};

export async function selectFiles(
  root: string,
  opts: { paths: string[]; exclude?: string[]; untracked?: boolean },
): Promise<Selection> {
  const report: string[] = [];
  const all = opts.paths.length > 0 ? await walkFiles(root) : [];
  const chosen = new Set<string>();
  for (const raw of opts.paths) {
    const norm = normalisePattern(raw);
    if (!norm) {
      report.push(`WARNING: ${raw}: not a path inside the project directory, skipped`);
      continue;
    }
    const re = globToRegExp(norm);
    const hits = all.filter((f) => matchesOrUnder(re, f));
    hits.forEach((f) => chosen.add(f));
    report.push(
      hits.length > 0
        ? `${raw}: found ${hits.length} matching artifact files and directories`
        : `WARNING: ${raw}: no matching files. Ensure that the path is relative to the working directory`,
    );
  }
  if (opts.untracked) {
    const files = await untrackedFiles(root);
    files.forEach((f) => chosen.add(f));
    report.push(`untracked: found ${files.length} files`);
  }
  const excludes = (opts.exclude ?? [])
    .map(normalisePattern)
    .filter((p): p is string => p !== null)
    .map(globToRegExp);
  let excluded = 0;
  for (const f of [...chosen])
    if (excludes.some((re) => matchesOrUnder(re, f))) {
      chosen.delete(f);
      excluded++;
    }
  if (excluded > 0) report.push(`${excluded} files excluded by exclude: patterns`);
  // Regular files only: symlinks could point outside the project dir.
  const files: string[] = [];
  for (const f of [...chosen].sort()) {
    const st = await lstat(path.join(root, f)).catch(() => null);
    if (st?.isFile()) files.push(f);
  }
  return { files, report };
}
