/**
 * Loads the project named by a page's URL for the current user. Unknown and unreadable projects are
 * both a 404, so a private project's existence does not leak to outsiders (GitLab does the same).
 */
import { cache } from "react";
import { notFound, permanentRedirect } from "next/navigation";
import {
  accessLevelFor,
  canReadPipelines,
  canReadProject,
  findProject,
  findProjectRedirect,
} from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";
import { currentUser } from "./session";

export interface ProjectContext {
  project: Project;
  user: User | null;
  /** The user's access level in the project (0 = not a member; admins count as owners). */
  level: number;
}

export const loadProject = cache(async (namespace: string, path: string): Promise<ProjectContext> => {
  const found = await findReadableProject(namespace, path);
  if (!found.project) {
    // A renamed project's old URL leads to the project (its overview), for those who may see it.
    const moved = await movedProject(namespace, path, found.user);
    if (moved) permanentRedirect(projectPath(moved));
    notFound();
  }
  return { project: found.project, user: found.user, level: found.level };
});

/** As loadProject, for pipeline pages: 404 for those "Public pipelines" (off) keeps out. */
export async function loadPipelinesProject(namespace: string, path: string): Promise<ProjectContext> {
  const ctx = await loadProject(namespace, path);
  if (!canReadPipelines(ctx.user, ctx.project, ctx.level)) notFound();
  return ctx;
}

/** As loadProject, for route handlers: null instead of throwing Next's notFound(). */
export async function findReadableProject(
  namespace: string,
  path: string,
): Promise<{ project: Project | null; user: User | null; level: number }> {
  const user = await currentUser();
  const ns = safeDecode(namespace);
  const p = safeDecode(path);
  if (ns === null || p === null) return { project: null, user, level: 0 };
  const project = await findProject({ db: getDb(), ref: `${ns}/${p}` });
  if (!project) return { project: null, user, level: 0 };
  const level = await accessLevelFor({ db: getDb(), user, project });
  if (!canReadProject(user, project, level)) return { project: null, user, level: 0 };
  return { project, user, level };
}

async function movedProject(namespace: string, path: string, user: User | null): Promise<Project | null> {
  const ns = safeDecode(namespace);
  const p = safeDecode(path);
  if (ns === null || p === null) return null;
  const project = await findProjectRedirect({ db: getDb(), namespace: ns, path: p });
  if (!project) return null;
  const level = await accessLevelFor({ db: getDb(), user, project });
  return canReadProject(user, project, level) ? project : null;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export const projectPath = (p: Pick<Project, "namespace" | "path">): string => `/${p.namespace}/${p.path}`;

/** Parses a positive integer id from a URL segment, or null. */
export function parseId(s: string): number | null {
  if (!/^\d{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 && n <= 2_147_483_647 ? n : null;
}
