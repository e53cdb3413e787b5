/**
 * Glue for the repository-browser pages: loads the project (404 for outsiders, like the project
 * page), runs a core repository use-case, and turns its expected failures (unknown ref or path,
 * refused read, malformed input from the URL) into Next's 404.
 */
import { notFound } from "next/navigation";
import { isAppError, type RepoReadOptions } from "@minilab/core";
import { getDb } from "@minilab/db";
import { loadProject, projectPath } from "./project";

export interface RepoPageContext extends RepoReadOptions {
  /** `/<ns>/<project>` */
  base: string;
}

export async function loadRepo(namespace: string, path: string): Promise<RepoPageContext> {
  const { project, user } = await loadProject(namespace, path);
  return { db: getDb(), user, project, base: projectPath(project) };
}

/** Awaits a use-case; not_found / unauthorized / invalid_input become a 404 page. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isAppError(e) && ["not_found", "unauthorized", "invalid_input", "forbidden"].includes(e.code))
      notFound();
    throw e;
  }
}
