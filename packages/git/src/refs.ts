/**
 * Branch and tag listings, and GitLab-style resolution of `<ref>/<path…>` URLs where the ref itself
 * may contain slashes.
 */
import { gitOk } from "./exec.ts";
import { resolveRef } from "./read.ts";

export interface RefInfo {
  /** Short name (`feature/x`, `v1.0`). */
  name: string;
  /** Commit the ref points at (tags peeled). */
  sha: string;
  /** Subject of that commit. */
  title: string;
  /** Committer date of that commit. */
  committedAt: Date;
  /** Tags only: the annotation's subject, when the tag is annotated. */
  message?: string;
}

const FORMAT = [
  "%(refname)",
  "%(objectname)",
  "%(*objectname)",
  "%(subject)",
  "%(*subject)",
  "%(committerdate:iso-strict)",
  "%(*committerdate:iso-strict)",
].join("%00");

async function listRefs(dir: string, prefix: "refs/heads/" | "refs/tags/"): Promise<RefInfo[]> {
  // Newest commit first; for annotated tags the date of the commit the tag points at.
  const out = await gitOk(["-C", dir, "for-each-ref", `--format=${FORMAT}`, prefix]);
  const refs: RefInfo[] = [];
  for (const line of out.toString("utf8").split("\n")) {
    if (!line) continue;
    const [ref = "", obj = "", peeled = "", subject = "", peeledSubject = "", date = "", peeledDate = ""] =
      line.split("\0");
    const annotated = peeled !== "";
    refs.push({
      name: ref.slice(prefix.length),
      sha: annotated ? peeled : obj,
      title: annotated ? peeledSubject : subject,
      committedAt: new Date(annotated ? peeledDate : date),
      ...(annotated ? { message: subject } : {}),
    });
  }
  return refs.sort(
    (a, b) => b.committedAt.getTime() - a.committedAt.getTime() || a.name.localeCompare(b.name),
  );
}

/** Branches, most recently committed first. */
export const listBranches = (dir: string): Promise<RefInfo[]> => listRefs(dir, "refs/heads/");

/** Tags, newest commit first. */
export const listTags = (dir: string): Promise<RefInfo[]> => listRefs(dir, "refs/tags/");

export interface ResolvedRefPath {
  /** The ref as the URL named it (branch, tag or sha). */
  ref: string;
  /** The commit it points at. */
  sha: string;
  /** The rest of the URL: a path inside the tree ("" for the root). */
  path: string;
}

/**
 * Splits URL segments into ref + path the way GitLab does: the longest leading run of segments that
 * names a branch or tag wins (so `feature/x/src/a.ts` with a branch `feature/x` is path `src/a.ts`);
 * otherwise the first segment may be a commit sha. Null when nothing resolves.
 */
export async function resolveRefPath(dir: string, segments: string[]): Promise<ResolvedRefPath | null> {
  if (segments.length === 0) return null;
  const out = await gitOk(["-C", dir, "for-each-ref", "--format=%(refname)", "refs/heads/", "refs/tags/"]);
  const names = new Set<string>();
  for (const r of out.toString("utf8").split("\n")) {
    if (r.startsWith("refs/heads/")) names.add(r.slice(11));
    else if (r.startsWith("refs/tags/")) names.add(r.slice(10));
  }
  for (let i = segments.length; i >= 1; i--) {
    const candidate = segments.slice(0, i).join("/");
    if (!names.has(candidate)) continue;
    const sha = await resolveRef(dir, candidate);
    if (sha) return { ref: candidate, sha, path: segments.slice(i).join("/") };
  }
  const first = segments[0] ?? "";
  if (/^[0-9a-f]{7,64}$/.test(first)) {
    const sha = await resolveRef(dir, first);
    if (sha) return { ref: first, sha, path: segments.slice(1).join("/") };
  }
  return null;
}
