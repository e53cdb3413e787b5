/**
 * Who may do what in a project's container registry (GitLab's rules):
 * - pull: whoever may read the project's repository (public → anyone; internal → signed-in users;
 *   private → reporter+); a personal access token needs read_registry, write_registry or api;
 * - push: developer+ with write_registry or api;
 * - delete: maintainer+ with write_registry or api;
 * - a CI job token (`gitlab-ci-token`): pull and push in its own project's repositories, while the
 *   job runs; nothing elsewhere.
 * A repository `ns/project[/name]` belongs to project `ns/project` (the first two components).
 */
import type { Db, Project, User } from "@minilab/db";
import { isRepositoryName } from "@minilab/registry";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { findProject } from "../projects/find-project.ts";
import { canManageProject, canPushCode, canReadRepository } from "../projects/permissions.ts";

export interface RegistryCaller {
  user: User | null;
  /** Credential scopes; null for anonymous callers and job tokens. */
  scopes: readonly string[] | null;
  /** Set when authenticated with a CI job token. */
  job: { id: number; projectId: number } | null;
}

export const ANONYMOUS: RegistryCaller = { user: null, scopes: null, job: null };

const READ_SCOPES = ["read_registry", "write_registry", "api"];
const WRITE_SCOPES = ["write_registry", "api"];

/** The project a repository path belongs to, or null. */
export async function projectOfRepository(db: Db, name: string): Promise<Project | null> {
  if (!isRepositoryName(name)) return null;
  const [ns, path] = name.split("/");
  if (!ns || !path) return null;
  return findProject({ db, ref: `${ns}/${path}` });
}

/** The subset of `requested` actions (pull, push, delete, *) the caller holds on repository `name`. */
export async function grantedActions(
  db: Db,
  caller: RegistryCaller,
  name: string,
  requested: readonly string[],
): Promise<string[]> {
  const project = await projectOfRepository(db, name);
  if (!project) return [];
  const held = new Set<string>();
  if (caller.job) {
    if (caller.job.projectId === project.id) held.add("pull").add("push");
  } else {
    const level = caller.user ? await accessLevelFor({ db, user: caller.user, project }) : 0;
    const has = (wanted: string[]): boolean =>
      caller.scopes === null ? caller.user === null : caller.scopes.some((s) => wanted.includes(s));
    if (canReadRepository(caller.user, project, level) && (caller.user === null || has(READ_SCOPES)))
      held.add("pull");
    if (caller.user && has(WRITE_SCOPES)) {
      if (canPushCode(level)) held.add("push");
      if (canManageProject(level)) held.add("delete");
    }
  }
  const out = new Set<string>();
  for (const a of requested) {
    if (a === "*") for (const h of held) out.add(h);
    else if (held.has(a)) out.add(a);
  }
  return [...out];
}
