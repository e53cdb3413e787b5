/**
 * Edit a runner (GitLab's `PUT /runners/:id` and the admin runner form): description, tags, whether it
 * runs untagged jobs, paused, and `maximum_timeout` — the upper bound on the timeout of the jobs it
 * runs (claim-job.ts applies it: a job gets min(its timeout, the runner's maximum)). Admins only, as
 * instance runners are GitLab's admin area; anyone else is `forbidden`. As GitLab, a maximum timeout
 * is at least 10 minutes; null removes the bound. Jobs already running keep the timeout they got.
 */
import type { Db, Runner } from "@minilab/db";
import { AppError } from "../errors.ts";

/** GitLab's lower bound for a runner's `maximum_timeout`. */
export const MIN_RUNNER_MAXIMUM_TIMEOUT = 600;
/** Upper bound accepted (a month), so the value always fits the column and the timers using it. */
const MAX_RUNNER_MAXIMUM_TIMEOUT = 30 * 24 * 3600;

export interface UpdateRunnerOptions {
  db: Db;
  /** The caller; must be an admin. */
  actor: { isAdmin: boolean };
  id: number;
  description?: string;
  tags?: readonly string[];
  runUntagged?: boolean;
  paused?: boolean;
  /** Seconds; null removes the bound. */
  maximumTimeout?: number | null;
}

export async function updateRunner(o: UpdateRunnerOptions): Promise<Runner> {
  if (!o.actor.isAdmin) throw new AppError("forbidden", "403 Forbidden");
  const runner = await o.db.runner.findUnique({ where: { id: o.id } });
  if (!runner) throw new AppError("not_found", "404 Runner Not Found");
  const max = o.maximumTimeout;
  if (
    max !== undefined &&
    max !== null &&
    (!Number.isInteger(max) || max < MIN_RUNNER_MAXIMUM_TIMEOUT || max > MAX_RUNNER_MAXIMUM_TIMEOUT)
  ) {
    const why =
      max > MAX_RUNNER_MAXIMUM_TIMEOUT ? "needs to be at most 30 days" : "needs to be at least 10 minutes";
    throw new AppError("invalid_input", `maximum_timeout ${why}`, {
      fields: { maximum_timeout: why },
      field: "maximumTimeout",
    });
  }
  const tags = o.tags === undefined ? runner.tags : [...new Set(o.tags.map((t) => t.trim()).filter(Boolean))];
  if (tags.some((t) => t.length > 255))
    throw new AppError("invalid_input", "tags must be at most 255 characters", { field: "tags" });
  const runUntagged = o.runUntagged ?? runner.runUntagged;
  if (!runUntagged && tags.length === 0)
    throw new AppError("invalid_input", "a runner without tags must run untagged jobs", {
      field: "runUntagged",
    });
  return o.db.runner.update({
    where: { id: o.id },
    data: {
      ...(o.description !== undefined ? { description: o.description.trim().slice(0, 255) } : {}),
      tags,
      runUntagged,
      ...(o.paused !== undefined ? { active: !o.paused } : {}),
      ...(o.maximumTimeout !== undefined ? { maximumTimeout: o.maximumTimeout } : {}),
    },
  });
}
