import { AppError, createProject, listApiProjects, toApiProject } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { json } from "../../../../server/http";
import { apiRoute, userRoute } from "../../../../server/api-route";
import { parseParams, readParams, zBool, zId } from "../../../../server/api-params";
import { pageRequest, paginatedJson } from "../../../../server/pagination";

export const dynamic = "force-dynamic";

const VISIBILITY = z.enum(["private", "internal", "public"]);

const ListParams = z.object({
  search: z.string().max(255).optional(),
  owned: zBool.optional(),
  membership: zBool.optional(),
  visibility: VISIBILITY.optional(),
  order_by: z.enum(["id", "name", "path", "created_at", "updated_at", "last_activity_at"]).optional(),
  sort: z.enum(["asc", "desc"]).optional(),
});

/** GET /api/v4/projects — the projects the caller may see, filtered, paginated (anonymous: public ones). */
export const GET = apiRoute(async ({ req, user }) => {
  const p = parseParams(ListParams, await readParams(req));
  const pr = pageRequest(req);
  const { items, total } = await listApiProjects({
    db: getDb(),
    user,
    search: p.search,
    owned: p.owned,
    membership: p.membership,
    visibility: p.visibility,
    orderBy: p.order_by,
    sort: p.sort,
    ...pr,
  });
  return paginatedJson(
    req,
    pr,
    items.map((project) => toApiProject(project)),
    total,
  );
});

const CreateParams = z
  .object({
    name: z.string().min(1).max(255).optional(),
    path: z.string().min(1).max(255).optional(),
    namespace_id: z.union([zId, z.string().min(1)]).optional(),
    description: z.string().max(2000).optional(),
    visibility: VISIBILITY.optional(),
  })
  .refine((p) => p.name !== undefined || p.path !== undefined, {
    message: "is missing",
    path: ["name"],
  });

/**
 * POST /api/v4/projects — a project in the caller's own namespace (minilab has no groups, so
 * `namespace_id` may only name the caller: their user id or username). 201 with the project.
 */
export const POST = userRoute(async ({ req, user: owner }) => {
  const p = parseParams(CreateParams, await readParams(req));
  if (p.namespace_id !== undefined && p.namespace_id !== owner.id && p.namespace_id !== owner.username)
    throw new AppError("not_found", "404 Namespace Not Found");
  const project = await createProject({
    db: getDb(),
    owner,
    name: p.name ?? p.path ?? "",
    ...(p.path !== undefined ? { path: p.path } : {}),
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.visibility !== undefined ? { visibility: p.visibility } : {}),
  });
  return json(toApiProject(project), { status: 201 });
});
