/** {@link RepoFiles} over a folder on disk (the CLI's repository root); skips `.git` and `node_modules`. */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { RepoFiles } from "../src/index.ts";

const SKIP = new Set([".git", "node_modules"]);

export function repoDirFiles(root: string): RepoFiles {
  let listed: string[] | null = null;
  return {
    readFile(path) {
      const full = join(root, path.replace(/^\/+/, ""));
      if (relative(root, full).startsWith("..")) return null;
      try {
        return readFileSync(full, "utf8");
      } catch {
        return null;
      }
    },
    listFiles() {
      listed ??= walk(root, root);
      return listed;
    },
  };
}

function walk(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(root, full));
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join("/"));
  }
  return out.sort();
}
