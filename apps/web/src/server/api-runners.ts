/**
 * The runners API. minilab's runners are all instance runners (registered by an admin, shared by
 * every project), so: admins see and manage them; a project's maintainers see the active ones
 * available to their project; nobody else owns a runner (`GET /runners` lists owned runners).
 */
import { listRunners, toApiRunner, type RunnerSummary } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { parseParams, readParams, zBool } from "./api-params";
import { paginateArray } from "./pagination";

const Filters = z.object({
  type: z.enum(["instance_type", "group_type", "project_type"]).optional(),
  status: z.enum(["online", "offline", "stale", "never_contacted", "active", "paused"]).optional(),
  paused: zBool.optional(),
  tag_list: z.string().optional(),
});

/** Lists runners filtered by GitLab's `type`, `status`, `paused`, `tag_list` (comma-separated, all must match). */
export async function runnerList(
  req: Request,
  only: (r: RunnerSummary) => boolean = () => true,
): Promise<Response> {
  const f = parseParams(Filters, await readParams(req));
  const tags = (f.tag_list ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const runners = (await listRunners({ db: getDb() })).filter((r) => {
    const api = toApiRunner(r);
    if (!only(r)) return false;
    if (f.type && f.type !== "instance_type") return false;
    if (f.paused !== undefined && api.paused !== f.paused) return false;
    if (f.status === "paused" && !api.paused) return false;
    if (f.status === "active" && api.paused) return false;
    if (f.status && !["paused", "active"].includes(f.status) && api.status !== f.status) return false;
    return tags.every((t) => r.tags.includes(t));
  });
  return paginateArray(req, runners, toApiRunner);
}
