/**
 * Who is calling the REST API. Like GitLab: a personal access token in `PRIVATE-TOKEN`,
 * `?private_token=` or `Authorization: Bearer`; without one, the browser session (so links from the
 * UI work); otherwise anonymous, which may read public projects. A token that is present but
 * unknown, revoked or expired is a 401 — never silently treated as anonymous.
 */
import {
  AppError,
  accessLevelFor,
  authenticateAccessToken,
  canReadProject,
  findProject,
} from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";
import { currentUser } from "./session";

const READ_SCOPES = new Set(["api", "read_api"]);

function tokenFrom(req: Request): string | null {
  const header = req.headers.get("private-token");
  if (header) return header.trim();
  const query = new URL(req.url).searchParams.get("private_token");
  if (query) return query.trim();
  const auth = req.headers.get("authorization");
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m?.[1]?.trim() ?? null;
}

/** The caller for a read request; throws 401/403 AppErrors for bad or insufficient tokens. */
export async function apiReader(req: Request): Promise<User | null> {
  const token = tokenFrom(req);
  if (token === null) return currentUser();
  const auth = await authenticateAccessToken({ db: getDb(), token });
  if (!auth) throw new AppError("unauthorized", "401 Unauthorized");
  if (!auth.scopes.some((s) => READ_SCOPES.has(s))) {
    throw new AppError("forbidden", "403 Forbidden - insufficient_scope", { error: "insufficient_scope" });
  }
  return auth.user;
}

/** A project by numeric id or URL-encoded path that `user` may read; otherwise GitLab's 404. */
export async function apiProject(user: User | null, id: string): Promise<Project> {
  const project = await findProject({ db: getDb(), ref: id });
  const level = project ? await accessLevelFor({ db: getDb(), user, project }) : 0;
  if (!project || !canReadProject(user, project, level))
    throw new AppError("not_found", "404 Project Not Found");
  return project;
}

/** Positive integer route id, or a GitLab-style 404 for `what`. */
export function apiId(raw: string, what: string): number {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647)
    throw new AppError("not_found", `404 ${what} Not Found`);
  return n;
}
