import { ACCESS_LEVELS, setDefaultBranch, toApiProject, updateProjectSettings } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { json } from "../../../../../server/http";
import { projectRoute } from "../../../../../server/api-route";
import { parseParams, readParams, zBool } from "../../../../../server/api-params";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id — by numeric id or URL-encoded path (`alice%2Fdemo`). */
export const GET = projectRoute<{ id: string }>(async ({ project }) => json(toApiProject(project)));

const UpdateParams = z.object({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(2000).optional(),
  visibility: z.enum(["private", "internal", "public"]).optional(),
  default_branch: z.string().min(1).max(255).optional(),
  /** Seconds; core checks the range (10 minutes to 1 month). */
  build_timeout: z.coerce.number().int().optional(),
  ci_separated_caches: zBool.optional(),
  public_builds: zBool.optional(),
  /** GitLab's newer name for `public_builds`. */
  public_jobs: zBool.optional(),
});

/** PUT /api/v4/projects/:id — maintainer+ (visibility: owner), as in GitLab. */
export const PUT = projectRoute<{ id: string }>(
  async ({ req, user, project }) => {
    const p = parseParams(UpdateParams, await readParams(req));
    const db = getDb();
    let updated = await updateProjectSettings({
      db,
      actor: user,
      project,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.description !== undefined ? { description: p.description } : {}),
      ...(p.visibility !== undefined ? { visibility: p.visibility } : {}),
      ...(p.build_timeout !== undefined ? { buildTimeout: p.build_timeout } : {}),
      ...(p.ci_separated_caches !== undefined ? { ciSeparatedCaches: p.ci_separated_caches } : {}),
      ...((p.public_builds ?? p.public_jobs) !== undefined
        ? { publicBuilds: (p.public_builds ?? p.public_jobs)! }
        : {}),
    });
    if (p.default_branch !== undefined)
      updated = await setDefaultBranch({ db, actor: user, project: updated, branch: p.default_branch });
    return json(toApiProject(updated));
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);
