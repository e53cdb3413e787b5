/**
 * Git smart HTTP transport: authentication, authorization and streaming for the three git routes
 * (`info/refs`, `git-upload-pack`, `git-receive-pack`). The routes stay one-liners; the protocol
 * work lives in @minilab/git, the business rules (who may read/write, what a push triggers) in
 * @minilab/core.
 *
 * Errors are answered as text/plain rather than with http.ts's JSON: git prints a text/plain body
 * of a failed request to the user ("remote: …"), JSON would be swallowed.
 *
 * Access rules:
 * - anonymous: clone/fetch of public projects; anything else → 401 + WWW-Authenticate so git asks
 *   for credentials (also for unknown projects, so existence does not leak before sign-in);
 * - bad credentials → 401;
 * - signed-in user who cannot read the project (or it does not exist) → 404;
 * - can read but not write, pushing → 403;
 * - PAT scopes: read needs read_repository|write_repository|api, push needs write_repository|api;
 * - `gitlab-ci-token:<job token>`: read-only access to the job's own project while it runs.
 */
import {
  AppError,
  HTTP_STATUS,
  authenticateBasic,
  authenticateJobToken,
  canReadProject,
  canWriteProject,
  coreConfig,
  findProject,
  handlePush,
  isAppError,
} from "@minilab/core";
import { getDb, type Project, type User } from "@minilab/db";
import {
  advertiseRefs,
  advertisementContentType,
  isGitInputError,
  isGitService,
  repoDir,
  requestContentType,
  resultContentType,
  serviceRpc,
  type GitService,
  type RefUpdate,
} from "@minilab/git";

export interface GitRouteParams {
  namespace: string;
  /** The `[project]` segment, with or without a trailing `.git`. */
  project: string;
}

type Access = "read" | "write";

const READ_SCOPES: readonly string[] = ["read_repository", "write_repository", "api"];
const WRITE_SCOPES: readonly string[] = ["write_repository", "api"];
const JOB_TOKEN_USER = "gitlab-ci-token";

interface Caller {
  user: User | null;
  /** Scopes of the credential; null for anonymous. */
  scopes: readonly string[] | null;
  /** Set when authenticated with a CI job token: the only project it may read. */
  jobProjectId: number | null;
}

interface GitTarget {
  project: Project;
  dir: string;
  caller: Caller;
}

function parseBasic(header: string | null): { username: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) throw new AppError("unauthorized", "HTTP Basic: Access denied");
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i <= 0) throw new AppError("unauthorized", "HTTP Basic: Access denied");
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

async function authenticate(req: Request): Promise<Caller> {
  const creds = parseBasic(req.headers.get("authorization"));
  if (!creds) return { user: null, scopes: null, jobProjectId: null };
  const db = getDb();
  if (creds.username === JOB_TOKEN_USER) {
    const auth = await authenticateJobToken({ db, token: creds.password });
    // Only a running job holds a valid token; re-checked here because access ends with the job.
    if (!auth || auth.job.status !== "running")
      throw new AppError("unauthorized", "HTTP Basic: Access denied");
    return { user: null, scopes: ["read_repository"], jobProjectId: auth.job.projectId };
  }
  const auth = await authenticateBasic({ db, username: creds.username, password: creds.password });
  if (!auth) throw new AppError("unauthorized", "HTTP Basic: Access denied");
  return { user: auth.user, scopes: auth.scopes, jobProjectId: null };
}

const anonymous = (c: Caller): boolean => c.user === null && c.jobProjectId === null;

function canRead(c: Caller, project: Project): boolean {
  if (c.jobProjectId !== null) return c.jobProjectId === project.id;
  return canReadProject(c.user, project);
}

/** Resolves and authorizes the target repository, throwing AppErrors per the rules above. */
async function authorize(req: Request, params: GitRouteParams, access: Access): Promise<GitTarget> {
  const caller = await authenticate(req);
  const path = params.project.replace(/\.git$/, "");
  const project = await findProject({ db: getDb(), ref: `${params.namespace}/${path}` });

  if (!project || !canRead(caller, project)) {
    if (anonymous(caller)) throw new AppError("unauthorized", "HTTP Basic: Access denied");
    throw new AppError("not_found", "The project you were looking for could not be found.");
  }
  if (
    caller.scopes &&
    !caller.scopes.some((s) => (access === "read" ? READ_SCOPES : WRITE_SCOPES).includes(s))
  ) {
    throw new AppError(
      "forbidden",
      `Your token does not have the scope needed to ${access === "read" ? "read" : "push to"} this repository.`,
    );
  }
  if (access === "write") {
    if (anonymous(caller)) throw new AppError("unauthorized", "HTTP Basic: Access denied");
    if (caller.jobProjectId !== null || !canWriteProject(caller.user, project)) {
      throw new AppError("forbidden", "You are not allowed to push code to this project.");
    }
  }
  // The canonical namespace/path from the database, not the (case-insensitive) URL spelling.
  return { project, dir: repoDir(coreConfig().reposDir, project.namespace, project.path), caller };
}

function accessFor(service: GitService): Access {
  return service === "git-receive-pack" ? "write" : "read";
}

function textResponse(status: number, message: string, headers?: Record<string, string>): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-cache", ...headers },
  });
}

/** The git routes' single error mapping (see file comment for why not http.ts). */
function gitErrorResponse(e: unknown): Response {
  if (isAppError(e)) {
    const status = HTTP_STATUS[e.code];
    const headers: Record<string, string> =
      status === 401 ? { "WWW-Authenticate": 'Basic realm="minilab"' } : {};
    return textResponse(status, e.message, headers);
  }
  if (isGitInputError(e)) {
    return e.code === "not_found"
      ? textResponse(404, "The project you were looking for could not be found.")
      : textResponse(400, e.message);
  }
  console.error("git http:", e);
  return textResponse(500, "Internal server error");
}

async function handleGit(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    return gitErrorResponse(e);
  }
}

const streamHeaders = (contentType: string): HeadersInit => ({
  "Content-Type": contentType,
  "Cache-Control": "no-cache, max-age=0, must-revalidate",
  Expires: "Fri, 01 Jan 1980 00:00:00 GMT",
  Pragma: "no-cache",
});

/** `GET /<ns>/<project>(.git)/info/refs?service=…` */
export function gitInfoRefs(req: Request, params: Promise<GitRouteParams>): Promise<Response> {
  return handleGit(async () => {
    const service = new URL(req.url).searchParams.get("service");
    if (service === null) {
      throw new AppError(
        "forbidden",
        "Dumb HTTP protocol is not supported; use a git client with smart HTTP.",
      );
    }
    if (!isGitService(service)) throw new AppError("invalid_input", `Unsupported git service: ${service}`);
    const target = await authorize(req, await params, accessFor(service));
    const body = await advertiseRefs(service, target.dir, req.headers.get("git-protocol"));
    return new Response(body, { headers: streamHeaders(advertisementContentType(service)) });
  });
}

/**
 * Forwards `src` and, once it has ended, awaits `after` before closing: `git push` only returns
 * when the response ends, so the client sees success only once pipelines exist.
 */
function closeAfter(src: ReadableStream<Uint8Array>, after: Promise<void>): ReadableStream<Uint8Array> {
  const reader = src.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await reader.read();
      if (!r.done) return controller.enqueue(r.value);
      await after;
      controller.close();
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

async function onPushed(project: Project, userId: number, updates: RefUpdate[]): Promise<void> {
  try {
    await handlePush({ db: getDb(), project, userId, updates });
  } catch (e) {
    // git already applied the refs; failing the HTTP response would tell the user the push failed.
    console.error(`git http: handlePush failed for project ${project.id}:`, e);
  }
}

/** `POST /<ns>/<project>(.git)/<service>` */
export function gitServiceRpc(
  req: Request,
  params: Promise<GitRouteParams>,
  service: GitService,
): Promise<Response> {
  return handleGit(async () => {
    const target = await authorize(req, await params, accessFor(service));
    const contentType = req.headers.get("content-type")?.split(";")[0]?.trim();
    if (contentType !== requestContentType(service)) {
      throw new AppError("invalid_input", `Expected Content-Type ${requestContentType(service)}`);
    }
    if (!req.body) throw new AppError("invalid_input", "Missing request body");

    const rpc = await serviceRpc({
      service,
      dir: target.dir,
      body: req.body,
      contentEncoding: req.headers.get("content-encoding"),
      gitProtocol: req.headers.get("git-protocol"),
      env: { MINILAB_PROJECT_ID: String(target.project.id) },
    });
    // Runs whether or not the client is still connected: refs git accepted must trigger pipelines
    // even if the response could not be delivered.
    const after = rpc.done.then(
      async ({ code, refUpdates, stderr }) => {
        if (code !== 0)
          console.warn(
            `git http: ${service} exited ${code} for project ${target.project.id}: ${stderr.trim()}`,
          );
        const userId = target.caller.user?.id;
        if (refUpdates.length > 0 && userId !== undefined) await onPushed(target.project, userId, refUpdates);
      },
      (e: unknown) => console.error(`git http: ${service} failed for project ${target.project.id}:`, e),
    );
    return new Response(closeAfter(rpc.stdout, after), {
      headers: streamHeaders(resultContentType(service)),
    });
  });
}
