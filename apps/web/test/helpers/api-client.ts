/**
 * Calls the REST API v4 route handlers in-process, the way the App Router would: a path is matched
 * against the route table (static segments beat dynamic ones), dynamic segments are decoded once
 * into `params`, and the handler's Response is read back. Runs against the real core and the test
 * file's Postgres: the test file must mock `@minilab/db`'s getDb (and `next/headers`, for the
 * session look-up of token-less requests) before importing this module.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUser, resetCoreConfig } from "@minilab/core";
import type { Db, User } from "@minilab/db";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "DELETE", Handler>>;

const ROUTES: Array<[string, () => Promise<unknown>]> = [
  ["/projects", () => import("../../src/app/api/v4/projects/route.ts")],
  ["/projects/:id", () => import("../../src/app/api/v4/projects/[id]/route.ts")],
  ["/projects/:id/jobs", () => import("../../src/app/api/v4/projects/[id]/jobs/route.ts")],
  ["/projects/:id/jobs/:job_id", () => import("../../src/app/api/v4/projects/[id]/jobs/[job_id]/route.ts")],
  [
    "/projects/:id/jobs/:job_id/trace",
    () => import("../../src/app/api/v4/projects/[id]/jobs/[job_id]/trace/route.ts"),
  ],
  ["/projects/:id/pipelines", () => import("../../src/app/api/v4/projects/[id]/pipelines/route.ts")],
  [
    "/projects/:id/pipelines/:pipeline_id",
    () => import("../../src/app/api/v4/projects/[id]/pipelines/[pipeline_id]/route.ts"),
  ],
  [
    "/projects/:id/pipelines/:pipeline_id/jobs",
    () => import("../../src/app/api/v4/projects/[id]/pipelines/[pipeline_id]/jobs/route.ts"),
  ],
  [
    "/projects/:id/repository/branches",
    () => import("../../src/app/api/v4/projects/[id]/repository/branches/route.ts"),
  ],
  [
    "/projects/:id/repository/branches/:branch",
    () => import("../../src/app/api/v4/projects/[id]/repository/branches/[branch]/route.ts"),
  ],
  [
    "/projects/:id/repository/tags",
    () => import("../../src/app/api/v4/projects/[id]/repository/tags/route.ts"),
  ],
  [
    "/projects/:id/repository/tags/:tag",
    () => import("../../src/app/api/v4/projects/[id]/repository/tags/[tag]/route.ts"),
  ],
  [
    "/projects/:id/repository/commits",
    () => import("../../src/app/api/v4/projects/[id]/repository/commits/route.ts"),
  ],
  [
    "/projects/:id/repository/commits/:sha",
    () => import("../../src/app/api/v4/projects/[id]/repository/commits/[sha]/route.ts"),
  ],
  [
    "/projects/:id/repository/tree",
    () => import("../../src/app/api/v4/projects/[id]/repository/tree/route.ts"),
  ],
  [
    "/projects/:id/repository/files/:file_path",
    () => import("../../src/app/api/v4/projects/[id]/repository/files/[file_path]/route.ts"),
  ],
  [
    "/projects/:id/repository/files/:file_path/raw",
    () => import("../../src/app/api/v4/projects/[id]/repository/files/[file_path]/raw/route.ts"),
  ],
  [
    "/projects/:id/repository/compare",
    () => import("../../src/app/api/v4/projects/[id]/repository/compare/route.ts"),
  ],
  ["/projects/:id/variables", () => import("../../src/app/api/v4/projects/[id]/variables/route.ts")],
  [
    "/projects/:id/variables/:key",
    () => import("../../src/app/api/v4/projects/[id]/variables/[key]/route.ts"),
  ],
  ["/projects/:id/members", () => import("../../src/app/api/v4/projects/[id]/members/route.ts")],
  [
    "/projects/:id/members/:user_id",
    () => import("../../src/app/api/v4/projects/[id]/members/[user_id]/route.ts"),
  ],
  ["/projects/:id/runners", () => import("../../src/app/api/v4/projects/[id]/runners/route.ts")],
  ["/job", () => import("../../src/app/api/v4/job/route.ts")],
  ["/user", () => import("../../src/app/api/v4/user/route.ts")],
  ["/users", () => import("../../src/app/api/v4/users/route.ts")],
  ["/users/:id", () => import("../../src/app/api/v4/users/[id]/route.ts")],
  ["/personal_access_tokens", () => import("../../src/app/api/v4/personal_access_tokens/route.ts")],
  ["/personal_access_tokens/self", () => import("../../src/app/api/v4/personal_access_tokens/self/route.ts")],
  ["/personal_access_tokens/:id", () => import("../../src/app/api/v4/personal_access_tokens/[id]/route.ts")],
  ["/runners", () => import("../../src/app/api/v4/runners/route.ts")],
  ["/runners/all", () => import("../../src/app/api/v4/runners/all/route.ts")],
  ["/runners/:id", () => import("../../src/app/api/v4/runners/[id]/route.ts")],
];

function match(pathname: string): { load: () => Promise<unknown>; params: Record<string, string> } | null {
  const segs = pathname.split("/").slice(1);
  let best: { load: () => Promise<unknown>; params: Record<string, string>; score: number } | null = null;
  for (const [pattern, load] of ROUTES) {
    const pat = pattern.split("/").slice(1);
    if (pat.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let score = 0;
    const ok = pat.every((p, i) => {
      const s = segs[i] ?? "";
      if (p.startsWith(":")) {
        params[p.slice(1)] = decodeURIComponent(s);
        return s !== "";
      }
      score++;
      return p === s;
    });
    if (ok && (!best || score > best.score)) best = { load, params, score };
  }
  return best;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  body: any;
}

export interface CallOptions {
  token?: string;
  bearer?: string;
  jobToken?: string;
  /** JSON body (objects) or a form (URLSearchParams). */
  body?: unknown;
}

/** `api("GET", "/projects?per_page=2", { token })` — path relative to /api/v4, query included. */
export async function api(method: string, path: string, opts: CallOptions = {}): Promise<ApiResult> {
  const url = new URL(`http://minilab.test/api/v4${path}`);
  const m = match(url.pathname.slice("/api/v4".length));
  if (!m) throw new Error(`no route for ${path}`);
  const mod = (await m.load()) as RouteModule;
  const handler = mod[method as keyof RouteModule];
  if (!handler) return { status: 405, headers: new Headers(), text: "", body: null };
  const headers = new Headers();
  if (opts.token) headers.set("PRIVATE-TOKEN", opts.token);
  if (opts.bearer) headers.set("Authorization", `Bearer ${opts.bearer}`);
  if (opts.jobToken) headers.set("JOB-TOKEN", opts.jobToken);
  let body: BodyInit | undefined;
  if (opts.body instanceof URLSearchParams) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    body = opts.body.toString();
  } else if (opts.body !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(opts.body);
  }
  const res = await handler(new Request(url, { method, headers, ...(body ? { body } : {}) }), {
    params: Promise.resolve(m.params),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** `alice/demo` → `alice%2Fdemo`, as GitLab clients address projects by path. */
export const enc = (s: string): string => encodeURIComponent(s);

/** Points MINILAB_DATA_DIR (where repositories live) at a fresh directory; returns its cleanup. */
export async function tempDataDir(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "minilab-api-"));
  process.env["MINILAB_DATA_DIR"] = dir;
  resetCoreConfig();
  return async () => {
    await rm(dir, { recursive: true, force: true });
    delete process.env["MINILAB_DATA_DIR"];
    resetCoreConfig();
  };
}

/** A user whose password is `<username>-password`. */
export const apiUser = (db: Db, username: string, isAdmin = false): Promise<User> =>
  createUser({ db, username, email: `${username}@example.test`, password: `${username}-password`, isAdmin });
