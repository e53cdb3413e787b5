import { listTree, readBlob } from "@minilab/git";
import { gitRead, readableRepoDir, type RepoReadOptions } from "./access.ts";

export interface Readme {
  path: string;
  /** Markdown (or plain text when `markdown` is false), at most 512 KiB. */
  text: string;
  markdown: boolean;
  truncated: boolean;
}

const PREFERENCE = [/^readme\.(md|markdown)$/i, /^readme$/i, /^readme\.[^.]+$/i];

/** The README of directory `path` at `sha` (README.md, README, readme.* — GitLab's order), or null. */
export async function findReadme(
  opts: RepoReadOptions & { sha: string; path?: string },
): Promise<Readme | null> {
  const dir = await readableRepoDir(opts);
  const entries = (await gitRead(() => listTree(dir, opts.sha, opts.path ?? ""))) ?? [];
  const blobs = entries.filter((e) => e.type === "blob");
  for (const re of PREFERENCE) {
    const entry = blobs.find((e) => re.test(e.name));
    if (!entry) continue;
    const blob = await gitRead(() => readBlob(dir, opts.sha, entry.path, { maxBytes: 512 * 1024 }));
    if (!blob || blob.binary) return null;
    return {
      path: entry.path,
      text: blob.content.toString("utf8"),
      markdown: /\.(md|markdown)$/i.test(entry.name),
      truncated: blob.truncated,
    };
  }
  return null;
}
