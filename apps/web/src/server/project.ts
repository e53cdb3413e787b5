/**
 * Loads the project named by a page's URL for the current user. Unknown and unreadable projects are
 * both a 404, so a private project's existence does not leak to outsiders (GitLab does the same).
 */
import { cache } from "react";
import { notFound } from "next/navigation";
import { canReadProject, findProject } from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";
import { currentUser } from "./session";

export interface ProjectContext {
  project: Project;
  user: User | null;
}

export const loadProject = cache(async (namespace: string, path: string): Promise<ProjectContext> => {
  const project = await findReadableProject(namespace, path);
  if (!project.project) notFound();
  return { project: project.project, user: project.user };
});

/** As loadProject, for route handlers: null instead of throwing Next's notFound(). */
export async function findReadableProject(
  namespace: string,
  path: string,
): Promise<{ project: Project | null; user: User | null }> {
  const user = await currentUser();
  const ns = safeDecode(namespace);
  const p = safeDecode(path);
  if (ns === null || p === null) return { project: null, user };
  const project = await findProject({ db: getDb(), ref: `${ns}/${p}` });
  if (!project || !canReadProject(user, project)) return { project: null, user };
  return { project, user };
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
