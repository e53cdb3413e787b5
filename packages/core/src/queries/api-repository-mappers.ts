/**
 * GitLab REST API v4 shapes for repository reads: commits, branches, tags, tree entries, diffs.
 * Pure functions of git's answers.
 */
import type { CommitSummary, FileDiff, RefInfo, TreeEntry } from "@minilab/git";
import { coreConfig } from "../config.ts";
import { projectWebPath } from "./api-mappers.ts";
import type { ProjectRef } from "./types.ts";

type ProjectPath = Pick<ProjectRef, "namespace" | "path">;

export function toApiCommit(c: CommitSummary, project: ProjectPath, baseUrl = coreConfig().externalUrl) {
  return {
    id: c.sha,
    short_id: c.sha.slice(0, 8),
    created_at: c.committedAt.toISOString(),
    parent_ids: c.parents,
    title: c.title,
    message: c.message,
    author_name: c.authorName,
    author_email: c.authorEmail,
    authored_date: c.authoredAt.toISOString(),
    committer_name: c.committerName,
    committer_email: c.committerEmail,
    committed_date: c.committedAt.toISOString(),
    trailers: {},
    extended_trailers: {},
    web_url: `${baseUrl}${projectWebPath(project)}/-/commit/${c.sha}`,
  };
}

/** A ref's commit when only the ref listing is at hand (no author): GitLab's fields, fewer filled. */
function refCommit(r: RefInfo, project: ProjectPath, baseUrl: string) {
  return {
    id: r.sha,
    short_id: r.sha.slice(0, 8),
    created_at: r.committedAt.toISOString(),
    title: r.title,
    committed_date: r.committedAt.toISOString(),
    web_url: `${baseUrl}${projectWebPath(project)}/-/commit/${r.sha}`,
  };
}

export interface BranchFlags {
  default: boolean;
  protected: boolean;
  /** Whether the caller may push to it. */
  canPush: boolean;
  /** Developers may push (a protected branch whose push level is developer). */
  developersCanPush: boolean;
}

export function toApiBranch(
  r: RefInfo,
  project: ProjectPath,
  flags: BranchFlags,
  commit?: CommitSummary,
  baseUrl = coreConfig().externalUrl,
) {
  return {
    name: r.name,
    commit: commit ? toApiCommit(commit, project, baseUrl) : refCommit(r, project, baseUrl),
    merged: false,
    protected: flags.protected,
    developers_can_push: flags.developersCanPush,
    developers_can_merge: flags.developersCanPush,
    can_push: flags.canPush,
    default: flags.default,
    web_url: `${baseUrl}${projectWebPath(project)}/-/tree/${r.name}`,
  };
}

export function toApiTag(
  r: RefInfo,
  project: ProjectPath,
  commit?: CommitSummary,
  baseUrl = coreConfig().externalUrl,
) {
  return {
    name: r.name,
    message: r.message ?? "",
    target: r.sha,
    commit: commit ? toApiCommit(commit, project, baseUrl) : refCommit(r, project, baseUrl),
    release: null,
    protected: false,
    created_at: null,
  };
}

export function toApiTreeEntry(e: TreeEntry) {
  return { id: e.oid, name: e.name, type: e.type, path: e.path, mode: e.mode };
}

const PREFIX = { context: " ", add: "+", del: "-", meta: "" } as const;

/** A file diff with its unified patch text, as GitLab's `diffs[]` entries. */
export function toApiDiff(f: FileDiff) {
  const diff = f.hunks
    .map((h) => [h.header, ...h.lines.map((l) => PREFIX[l.kind] + l.text)].join("\n"))
    .join("\n");
  return {
    diff: diff ? `${diff}\n` : "",
    new_path: f.newPath,
    old_path: f.oldPath,
    a_mode: f.oldMode,
    b_mode: f.newMode,
    new_file: f.status === "added",
    renamed_file: f.status === "renamed",
    deleted_file: f.status === "deleted",
    generated_file: false,
  };
}
