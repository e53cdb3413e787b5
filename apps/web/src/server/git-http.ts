/**
 * Git smart HTTP transport: authentication, authorization and streaming for the three git routes
 * (`info/refs`, `git-upload-pack`, `git-receive-pack`). The routes stay one-liners; the protocol
 * work lives in @minilab/git, the business rules (who may read/write, what a push triggers) in
 * @minilab/core.
 *
 * Errors are answered as text/plain rather than with http.ts's JSON: git prints a text/plain body
 * of a failed request to the user ("remote: …"), JSON would be swallowed.
 *
 * Access rules (levels and visibility rules in @minilab/core projects/permissions.ts):
 * - anonymous: clone/fetch of public projects; anything else → 401 + WWW-Authenticate so git asks
 *   for credentials (also for unknown projects, so existence does not leak before sign-in);
 * - bad credentials → 401;
 * - signed-in user who cannot read the repository (private: reporter+) or it does not exist → 404;
 * - can read but is below developer, pushing → 403;
 * - protected branches: the pre-receive hook refuses per GitLab's rules; git shows
 *   "remote: GitLab: …" and nothing is applied;
 * - PAT scopes: read needs read_repository|write_repository|api, push needs write_repository|api;
 * - `gitlab-ci-token:<job token>`: read-only access to the job's own project while it runs.
 * - a renamed project's old URL: `info/refs` answers 301 to the new one (git follows it and then
 *   POSTs to the new URL), only for callers who may read the project.
 *
 * Bad input: wrong Content-Type → 415; a body over MINILAB_GIT_MAX_BODY_BYTES → 413; anything git
 * itself rejects (malformed pkt-lines, a truncated pack) → 400 with git's own message when git
 * failed before answering, otherwise git's answer (report-status) as it wrote it.
 */
import {
  AppError,
  HTTP_STATUS,
  accessLevelFor,
  authenticateBasic,
  authenticateJobToken,
  canPushCode,
  canReadProject,
  canReadRepository,
  coreConfig,
  findProject,
  findProjectRedirect,
  isAppError,
  pushPolicyFor,
  recordPush,
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
import { basicCredentials } from "./basic-auth";

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
  /** The caller's access level in the project (0 for anonymous and job tokens). */
  level: number;
}

async function authenticate(req: Request): Promise<Caller> {
  const creds = basicCredentials(req.headers.get("authorization"));
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

function canRead(c: Caller, project: Project, level: number): boolean {
  if (c.jobProjectId !== null) return c.jobProjectId === project.id;
  return canReadRepository(c.user, project, level);
}

/** Thrown by authorize when the URL names a renamed project the caller may read. */
class MovedTo extends Error {
  constructor(readonly project: Project) {
    super("project moved");
  }
}

/** Resolves and authorizes the target repository, throwing AppErrors per the rules above. */
async function authorize(req: Request, params: GitRouteParams, access: Access): Promise<GitTarget> {
  const caller = await authenticate(req);
  const path = params.project.replace(/\.git$/, "");
  const db = getDb();
  let project = await findProject({ db, ref: `${params.namespace}/${path}` });
  let moved = false;
  if (!project) {
    project = await findProjectRedirect({ db, namespace: params.namespace, path });
    moved = project !== null;
  }
  const level = project && caller.user ? await accessLevelFor({ db, user: caller.user, project }) : 0;

  if (!project || !canRead(caller, project, level)) {
    if (anonymous(caller)) throw new AppError("unauthorized", "HTTP Basic: Access denied");
    // Guests of a private project know it exists; they just may not read its code (GitLab's words).
    if (project && caller.jobProjectId === null && canReadProject(caller.user, project, level))
      throw new AppError("forbidden", "You are not allowed to download code from this project.");
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
    if (caller.jobProjectId !== null || !canPushCode(level)) {
      throw new AppError("forbidden", "You are not allowed to push code to this project.");
    }
  }
  if (moved) throw new MovedTo(project);
  // The canonical namespace/path from the database, not the (case-insensitive) URL spelling.
  return { project, dir: repoDir(coreConfig().reposDir, project.namespace, project.path), caller, level };
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
function gitErrorResponse(e: unknown, req: Request, params: GitRouteParams | null): Response {
  if (e instanceof MovedTo && params) {
    const url = new URL(req.url);
    const suffix = params.project.endsWith(".git") ? ".git" : "";
    // Path after /<namespace>/<project>, e.g. "/info/refs".
    const rest = `/${url.pathname.split("/").slice(3).join("/")}`;
    return new Response(null, {
      status: 301,
      headers: { Location: `/${e.project.namespace}/${e.project.path}${suffix}${rest}${url.search}` },
    });
  }
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

async function handleGit(
  req: Request,
  params: Promise<GitRouteParams>,
  fn: (p: GitRouteParams) => Promise<Response>,
): Promise<Response> {
  let p: GitRouteParams | null = null;
  try {
    p = await params;
    return await fn(p);
  } catch (e) {
    return gitErrorResponse(e, req, p);
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
  return handleGit(req, params, async (p) => {
    const service = new URL(req.url).searchParams.get("service");
    if (service === null) {
      throw new AppError(
        "forbidden",
        "Dumb HTTP protocol is not supported; use a git client with smart HTTP.",
      );
    }
    if (!isGitService(service)) throw new AppError("invalid_input", `Unsupported git service: ${service}`);
    const target = await authorize(req, p, accessFor(service));
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

async function onPushed(target: GitTarget, updates: RefUpdate[], pushOptions: string[]): Promise<void> {
  try {
    await recordPush({
      db: getDb(),
      project: target.project,
      userId: target.caller.user?.id ?? null,
      updates,
      pushOptions,
    });
  } catch (e) {
    // git already applied the refs; failing the HTTP response would tell the user the push failed.
    console.error(`git http: recordPush failed for project ${target.project.id}:`, e);
  }
}

/** Yields `first` and then the rest of `reader`. */
function prepend(
  first: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        return controller.enqueue(first);
      }
      const r = await reader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** git's last `fatal:`/`error:` line, for a client whose request git refused before answering. */
function gitMessage(stderr: string): string {
  const lines = stderr.trim().split("\n").filter(Boolean);
  return (
    lines.filter((l) => /^(fatal|error):/.test(l)).pop() ?? lines.pop() ?? "git could not process the request"
  );
}

/** `POST /<ns>/<project>(.git)/<service>` */
export function gitServiceRpc(
  req: Request,
  params: Promise<GitRouteParams>,
  service: GitService,
): Promise<Response> {
  return handleGit(req, params, async (p) => {
    const target = await authorize(req, p, accessFor(service));
    const contentType = req.headers.get("content-type")?.split(";")[0]?.trim();
    if (contentType !== requestContentType(service)) {
      return textResponse(415, `Expected Content-Type ${requestContentType(service)}`);
    }
    if (!req.body) throw new AppError("invalid_input", "Missing request body");
    const maxBodyBytes = coreConfig().gitMaxBodyBytes;
    const declared = Number(req.headers.get("content-length") ?? NaN);
    if (declared > maxBodyBytes) return textResponse(413, `Request body larger than ${maxBodyBytes} bytes`);

    const pushPolicy =
      service === "git-receive-pack"
        ? await pushPolicyFor({
            db: getDb(),
            user: target.caller.user,
            project: target.project,
            level: target.level,
          })
        : undefined;
    const rpc = await serviceRpc({
      service,
      dir: target.dir,
      body: req.body,
      contentEncoding: req.headers.get("content-encoding"),
      gitProtocol: req.headers.get("git-protocol"),
      env: { MINILAB_PROJECT_ID: String(target.project.id) },
      maxBodyBytes,
      ...(pushPolicy ? { pushPolicy } : {}),
    });
    // Runs whether or not the client is still connected: refs git accepted must be recorded and
    // trigger pipelines even if the response could not be delivered.
    const after = rpc.done.then(
      async ({ code, refUpdates, pushOptions, stderr }) => {
        if (code !== 0)
          console.warn(
            `git http: ${service} exited ${code} for project ${target.project.id}: ${stderr.trim()}`,
          );
        if (refUpdates.length > 0) await onPushed(target, refUpdates, pushOptions);
      },
      (e: unknown) => console.error(`git http: ${service} failed for project ${target.project.id}:`, e),
    );
    // Headers wait for git's first bytes: if git fails before answering (body over the limit,
    // malformed pkt-lines, a truncated pack), the client gets a 4xx with git's message instead of
    // an empty 200. receive-pack only answers after it has read the whole pack.
    const reader = rpc.stdout.getReader();
    const first = await reader.read();
    if (!first.done && rpc.tooLarge()) {
      // git answered the cut-off upload ("early EOF"); the client should learn why instead.
      await reader.cancel();
      await after;
      return textResponse(413, `Request body larger than ${maxBodyBytes} bytes`);
    }
    if (first.done) {
      const result = await rpc.done.catch(() => null);
      await after;
      if (result?.tooLarge) return textResponse(413, `Request body larger than ${maxBodyBytes} bytes`);
      if (result && result.code !== 0) return textResponse(400, gitMessage(result.stderr));
      return new Response(closeAfter(new ReadableStream({ start: (c) => c.close() }), after), {
        headers: streamHeaders(resultContentType(service)),
      });
    }
    return new Response(closeAfter(prepend(first.value, reader), after), {
      headers: streamHeaders(resultContentType(service)),
    });
  });
}
