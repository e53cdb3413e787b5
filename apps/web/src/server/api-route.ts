/**
 * The REST API v4 route prologue in one place: authenticate (api-auth.ts), resolve the project the
 * URL names and check the caller's role, run the handler, and answer errors with GitLab's bodies.
 *
 * ```ts
 * export const GET = projectRoute<{ id: string }>(async ({ project, req }) => json(...));
 * export const POST = projectRoute<{ id: string }>(handler, { minLevel: ACCESS_LEVELS.maintainer });
 * ```
 */
import { AppError, canReadBuilds, canReadPipelines, canReadRepository } from "@minilab/core";
import type { Project, User } from "@minilab/db";
import { apiCaller, apiProjectAccess, type ApiCaller, type ApiCallerOptions } from "./api-auth";
import { apiErrorResponse } from "./api-errors";

type Params = Record<string, string>;
type Handler<C> = (c: C) => Promise<Response>;
type RouteFn<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

export interface ApiContext<P extends Params> {
  req: Request;
  params: P;
  caller: ApiCaller;
  user: User | null;
  /** The query string. */
  query: URLSearchParams;
}

export interface ProjectApiContext<P extends Params> extends ApiContext<P> {
  project: Project;
  /** The caller's access level in the project (0 for outsiders). */
  level: number;
}

export interface ProjectRouteOptions extends ApiCallerOptions {
  /** Minimum access level (ACCESS_LEVELS); below it → 403 Forbidden. @defaultValue none */
  minLevel?: number;
  /** The route reads the repository (GitLab: guests of a private project may not). @defaultValue false */
  repository?: boolean;
  /** The route reads jobs or their logs (GitLab's read_build, see canReadBuilds). @defaultValue false */
  builds?: boolean;
  /** The route reads pipelines (GitLab's read_pipeline, see canReadPipelines). @defaultValue false */
  pipelines?: boolean;
}

/** Runs an API handler body, answering any thrown error with GitLab's status and body. */
export async function apiHandle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    return apiErrorResponse(e);
  }
}

/** A route that is not about one project (`/projects`, `/user`, `/runners`…). */
export function apiRoute<P extends Params = Params>(
  handler: Handler<ApiContext<P>>,
  opts: ApiCallerOptions = {},
): RouteFn<P> {
  return (req, ctx) =>
    apiHandle(async () => {
      const params = await ctx.params;
      const caller = await apiCaller(req, opts);
      return handler({ req, params, caller, user: caller.user, query: new URL(req.url).searchParams });
    });
}

export interface ApiUserContext<P extends Params> extends ApiContext<P> {
  user: User;
}

/** A route for signed-in callers only (401 for anonymous ones): `/user`, `/personal_access_tokens`… */
export function userRoute<P extends Params = Params>(
  handler: Handler<ApiUserContext<P>>,
  opts: ApiCallerOptions = {},
): RouteFn<P> {
  return apiRoute<P>(async (c) => {
    if (!c.user) throw new AppError("unauthorized", "401 Unauthorized");
    return handler({ ...c, user: c.user });
  }, opts);
}

/** A route under `/projects/:id`: the project must be visible to the caller (404 otherwise). */
export function projectRoute<P extends Params & { id: string }>(
  handler: Handler<ProjectApiContext<P>>,
  opts: ProjectRouteOptions = {},
): RouteFn<P> {
  return (req, ctx) =>
    apiHandle(async () => {
      const params = await ctx.params;
      const caller = await apiCaller(req, opts);
      const { project, level } = await apiProjectAccess(caller, params.id);
      const readsCode = opts.repository && !caller.job;
      if (readsCode && !canReadRepository(caller.user, project, level)) throw forbidden(caller);
      if (opts.builds && !caller.job && !canReadBuilds(caller.user, project, level)) throw forbidden(caller);
      if (opts.pipelines && !caller.job && !canReadPipelines(caller.user, project, level))
        throw forbidden(caller);
      if (opts.minLevel !== undefined && level < opts.minLevel) throw forbidden(caller);
      return handler({
        req,
        params,
        caller,
        user: caller.user,
        query: new URL(req.url).searchParams,
        project,
        level,
      });
    });
}

/** Anonymous callers are asked to authenticate; signed-in ones are refused. */
const forbidden = (caller: ApiCaller): AppError =>
  caller.user || caller.job
    ? new AppError("forbidden", "403 Forbidden")
    : new AppError("unauthorized", "401 Unauthorized");
