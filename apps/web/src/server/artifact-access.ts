/**
 * Permission checks for job artifacts (API and UI): reading needs GitLab's read_build (reporter+ on
 * private projects — a guest of a private project gets 404 like an outsider, since artifacts can hold
 * secrets); deleting needs maintainer and, with a token, the `api` scope.
 */
import {
  AppError,
  accessLevelFor,
  authenticateAccessToken,
  canManageProject,
  canReadBuilds,
} from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";
import { apiProject, apiReader } from "./api-auth";
import { currentUser } from "./session";

/** The project (by API id or path) whose jobs' artifacts the caller may read. */
export async function artifactReadProject(req: Request, id: string): Promise<Project> {
  const user = await apiReader(req);
  const project = await apiProject(user, id);
  const level = await accessLevelFor({ db: getDb(), user, project });
  if (!canReadBuilds(user, project, level)) throw new AppError("not_found", "404 Project Not Found");
  return project;
}

/** As {@link artifactReadProject}, for callers allowed to delete artifacts. */
export async function artifactManageProject(req: Request, id: string): Promise<Project> {
  const user = await apiWriter(req);
  const project = await apiProject(user, id);
  const level = await accessLevelFor({ db: getDb(), user, project });
  if (!canReadBuilds(user, project, level)) throw new AppError("not_found", "404 Project Not Found");
  if (!user) throw new AppError("unauthorized", "401 Unauthorized");
  if (!canManageProject(level)) throw new AppError("forbidden", "403 Forbidden");
  return project;
}

async function apiWriter(req: Request): Promise<User | null> {
  const header =
    req.headers.get("private-token") ?? /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!header) return currentUser();
  const auth = await authenticateAccessToken({ db: getDb(), token: header.trim() });
  if (!auth) throw new AppError("unauthorized", "401 Unauthorized");
  if (!auth.scopes.includes("api"))
    throw new AppError("forbidden", "403 Forbidden - insufficient_scope", { error: "insufficient_scope" });
  return auth.user;
}
