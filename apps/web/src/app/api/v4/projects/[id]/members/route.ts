import {
  ACCESS_LEVELS,
  addProjectMember,
  isAppError,
  AppError,
  listProjectMembers,
  toApiMember,
} from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { projectRoute } from "../../../../../../server/api-route";
import { parseParams, readParams, zId } from "../../../../../../server/api-params";
import { AccessLevelParam, memberOf } from "../../../../../../server/api-members";
import { json } from "../../../../../../server/http";
import { paginateArray } from "../../../../../../server/pagination";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/members — anyone who can see the project; `query` filters by name. */
export const GET = projectRoute<{ id: string }>(async ({ req, project, query }) => {
  const q = (query.get("query") ?? "").toLowerCase();
  const members = (await listProjectMembers({ db: getDb(), project })).filter(
    (m) => !q || m.username.toLowerCase().includes(q) || m.name.toLowerCase().includes(q),
  );
  return paginateArray(req, members, (m) => toApiMember(m));
});

const AddParams = z
  .object({ user_id: zId.optional(), username: z.string().min(1).optional(), access_level: AccessLevelParam })
  .refine((p) => p.user_id !== undefined || p.username !== undefined, {
    message: "is missing",
    path: ["user_id"],
  });

/** POST /api/v4/projects/:id/members — maintainer+ (owners only may add owners); 201, 409 if a member. */
export const POST = projectRoute<{ id: string }>(
  async ({ req, user, project }) => {
    const p = parseParams(AddParams, await readParams(req));
    const db = getDb();
    const target = p.user_id !== undefined ? await db.user.findUnique({ where: { id: p.user_id } }) : null;
    if (p.user_id !== undefined && !target) throw new AppError("not_found", "404 User Not Found");
    try {
      await addProjectMember({
        db,
        actor: user,
        project,
        username: target?.username ?? p.username ?? "",
        accessLevel: p.access_level,
      });
    } catch (e) {
      if (isAppError(e) && e.code === "conflict") throw new AppError("conflict", "Member already exists");
      if (isAppError(e) && e.code === "not_found") throw new AppError("not_found", "404 User Not Found");
      throw e;
    }
    return json(toApiMember(await memberOf(project, target?.id ?? null, p.username)), { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);
