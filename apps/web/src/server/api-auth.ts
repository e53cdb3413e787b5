/**
 * Who is calling the REST API, as GitLab decides it:
 *
 * - a personal access token in `PRIVATE-TOKEN`, `?private_token=` or `Authorization: Bearer`;
 *   its scopes must cover the request: `read_api` or `api` for GET/HEAD, `api` for anything that
 *   writes (`read_user` also reads the `/user(s)` endpoints). Too few scopes → 403 insufficient_scope.
 * - a CI job token in `JOB-TOKEN` or `?job_token=`, only on routes that opt in (GitLab's job-token
 *   allowlist: `GET /job`, reads of the job's own project); valid only while the job runs, and it
 *   reaches only that job's project, with the rights of the user who started the pipeline.
 * - without either, the browser session for GET/HEAD (so links from the UI work). Never for writes:
 *   a cookie alone would make every write endpoint a CSRF target.
 * - otherwise anonymous, which may read public projects.
 *
 * A credential that is present but unknown, revoked, expired or finished is a 401 — never silently
 * treated as anonymous.
 */
import {
  ACCESS_LEVELS,
  AppError,
  accessLevelFor,
  authenticateAccessToken,
  authenticateJobToken,
  canReadProject,
  findProject,
  TOKEN_SCOPES,
  type TokenScope,
} from "@minilab/core";
import { getDb, type Job, type Project, type User } from "@minilab/db";
import { currentUser } from "./session";

export interface ApiCaller {
  user: User | null;
  /** How the caller authenticated. */
  via: "token" | "job_token" | "session" | "anonymous";
  /** Token scopes; sessions carry every scope, anonymous callers none. */
  scopes: readonly TokenScope[];
  /** Set for CI job token callers: the running job. Its project is the only one they reach. */
  job: Job | null;
  /** The personal access token's id, for token callers. */
  tokenId?: number | undefined;
}

/** What a route needs of a token: `read` (read_api|api), `write` (api), `user` (read_user|read_api|api). */
export type ApiScopeNeed = "read" | "write" | "user";

export interface ApiCallerOptions {
  /** Accept CI job tokens (GitLab's allowlisted endpoints only). @defaultValue false */
  jobToken?: boolean;
  /** @defaultValue `read` for GET/HEAD, `write` otherwise */
  scope?: ApiScopeNeed;
}

const SATISFIES: Record<ApiScopeNeed, readonly TokenScope[]> = {
  read: ["api", "read_api"],
  write: ["api"],
  user: ["api", "read_api", "read_user"],
};

const isRead = (req: Request) => req.method === "GET" || req.method === "HEAD";

type Credential = { kind: "token" | "job_token"; value: string };

function credentialFrom(req: Request): Credential | null {
  const q = new URL(req.url).searchParams;
  const pat = req.headers.get("private-token") ?? q.get("private_token");
  if (pat?.trim()) return { kind: "token", value: pat.trim() };
  const auth = req.headers.get("authorization");
  const bearer = auth ? /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() : undefined;
  if (bearer) return { kind: "token", value: bearer };
  const job = req.headers.get("job-token") ?? q.get("job_token");
  if (job?.trim()) return { kind: "job_token", value: job.trim() };
  return null;
}

export const unauthorized = (): AppError => new AppError("unauthorized", "401 Unauthorized");

function insufficientScope(need: ApiScopeNeed): AppError {
  return new AppError("forbidden", "403 Forbidden - insufficient_scope", {
    error: "insufficient_scope",
    error_description: "The request requires higher privileges than provided by the access token.",
    scope: SATISFIES[need].join(" "),
  });
}

/** Authenticates the request per the rules above; throws 401/403 AppErrors. */
export async function apiCaller(req: Request, opts: ApiCallerOptions = {}): Promise<ApiCaller> {
  const need = opts.scope ?? (isRead(req) ? "read" : "write");
  const cred = credentialFrom(req);
  const db = getDb();
  if (cred?.kind === "token") {
    const auth = await authenticateAccessToken({ db, token: cred.value });
    if (!auth) throw unauthorized();
    if (!auth.scopes.some((s) => SATISFIES[need].includes(s))) throw insufficientScope(need);
    return { user: auth.user, via: "token", scopes: auth.scopes, job: null, tokenId: auth.tokenId };
  }
  if (cred?.kind === "job_token") {
    if (!opts.jobToken) throw unauthorized();
    const auth = await authenticateJobToken({ db, token: cred.value });
    if (!auth) throw unauthorized();
    const pipeline = await db.pipeline.findUnique({
      where: { id: auth.job.pipelineId },
      select: { user: true },
    });
    return { user: pipeline?.user ?? null, via: "job_token", scopes: [], job: auth.job };
  }
  const user = isRead(req) ? await currentUser() : null;
  return user
    ? { user, via: "session", scopes: TOKEN_SCOPES, job: null }
    : { user: null, via: "anonymous", scopes: [], job: null };
}

/** As {@link apiCaller}, and the caller must be a signed-in user (401 otherwise). */
export async function apiUser(req: Request, opts: ApiCallerOptions = {}): Promise<User> {
  const caller = await apiCaller(req, opts);
  if (!caller.user) throw unauthorized();
  return caller.user;
}

/** The caller for a read request; throws 401/403 AppErrors for bad or insufficient tokens. */
export async function apiReader(req: Request): Promise<User | null> {
  return (await apiCaller(req, { scope: "read" })).user;
}

export interface ApiProjectAccess {
  project: Project;
  /** The caller's access level (0 for outsiders; admins count as owners). */
  level: number;
}

/**
 * A project by numeric id or URL-encoded path that the caller may see; otherwise GitLab's 404 (the
 * same answer for "missing" and "private", so private projects do not leak).
 */
export async function apiProjectAccess(caller: ApiCaller, id: string): Promise<ApiProjectAccess> {
  const db = getDb();
  const project = await findProject({ db, ref: id });
  if (!project) throw projectNotFound();
  if (caller.job) {
    if (caller.job.projectId !== project.id) throw projectNotFound();
    // A job reads its own project even when its pipeline has no user (trigger, schedule); it never
    // gets more than developer rights through the token.
    const level = caller.user ? await accessLevelFor({ db, user: caller.user, project }) : 0;
    return { project, level: Math.min(Math.max(level, ACCESS_LEVELS.reporter), ACCESS_LEVELS.developer) };
  }
  const level = await accessLevelFor({ db, user: caller.user, project });
  if (!canReadProject(caller.user, project, level)) throw projectNotFound();
  return { project, level };
}

/** A project by numeric id or URL-encoded path that `user` may read; otherwise GitLab's 404. */
export async function apiProject(user: User | null, id: string): Promise<Project> {
  const caller: ApiCaller = { user, via: user ? "token" : "anonymous", scopes: [], job: null };
  return (await apiProjectAccess(caller, id)).project;
}

const projectNotFound = () => new AppError("not_found", "404 Project Not Found");

/** Positive integer route id, or a GitLab-style 404 for `what`. */
export function apiId(raw: string, what: string): number {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647)
    throw new AppError("not_found", `404 ${what} Not Found`);
  return n;
}
