import { z } from "zod";
import { AppError, listRunners, toApiRunnerDetails, updateRunner } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../server/api-auth";
import { parseParams, readParams, zBool, zInt } from "../../../../../server/api-params";
import { userRoute } from "../../../../../server/api-route";
import { json } from "../../../../../server/http";

export const dynamic = "force-dynamic";

/** GET /api/v4/runners/:id — admins only; others 403 (they own no runner), unknown id 404. */
export const GET = userRoute<{ id: string }>(async ({ params, user }) => {
  const id = apiId(params.id, "Runner");
  if (!user.isAdmin) throw new AppError("forbidden", "403 Forbidden");
  const runner = (await listRunners({ db: getDb() })).find((r) => r.id === id);
  if (!runner) throw new AppError("not_found", "404 Runner Not Found");
  return json(toApiRunnerDetails(runner));
});

const Update = z.object({
  description: z.string().max(255).optional(),
  tag_list: z.union([z.string(), z.array(z.string())]).optional(),
  run_untagged: zBool.optional(),
  paused: zBool.optional(),
  /** GitLab's deprecated inverse of `paused`. */
  active: zBool.optional(),
  /** Seconds; an empty value removes the bound. */
  maximum_timeout: z.union([zInt, z.literal(""), z.null()]).optional(),
});

/**
 * PUT /api/v4/runners/:id — admins edit an instance runner: `description`, `tag_list` (comma-separated
 * or an array), `run_untagged`, `paused` (or `active`), `maximum_timeout` (seconds, at least 600, as
 * GitLab; empty removes it). Others 403, unknown id 404; 200 with the runner's details.
 */
export const PUT = userRoute<{ id: string }>(async ({ req, params, user }) => {
  const id = apiId(params.id, "Runner");
  if (!user.isAdmin) throw new AppError("forbidden", "403 Forbidden");
  const body = parseParams(Update, await readParams(req));
  const tags = typeof body.tag_list === "string" ? body.tag_list.split(",") : body.tag_list;
  const paused = body.paused ?? (body.active === undefined ? undefined : !body.active);
  await updateRunner({
    db: getDb(),
    actor: user,
    id,
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(tags !== undefined ? { tags } : {}),
    ...(body.run_untagged !== undefined ? { runUntagged: body.run_untagged } : {}),
    ...(paused !== undefined ? { paused } : {}),
    ...(body.maximum_timeout !== undefined
      ? { maximumTimeout: body.maximum_timeout === "" ? null : body.maximum_timeout }
      : {}),
  });
  const runner = (await listRunners({ db: getDb() })).find((r) => r.id === id);
  if (!runner) throw new AppError("not_found", "404 Runner Not Found");
  return json(toApiRunnerDetails(runner));
});
