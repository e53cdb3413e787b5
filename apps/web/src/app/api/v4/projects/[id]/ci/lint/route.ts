/**
 * GitLab's project CI lint.
 * - POST /api/v4/projects/:id/ci/lint — `content` (required), `dry_run`, `include_jobs`, `ref`; needs
 *   create_pipeline (developer+), as GitLab.
 * - GET /api/v4/projects/:id/ci/lint — the project's `.gitlab-ci.yml` at `content_ref` (or the
 *   deprecated `sha`; default: the default branch), `dry_run` with `dry_run_ref` (or `ref`),
 *   `include_jobs`; needs read access to the repository.
 */
import { ACCESS_LEVELS, lintCiConfig, lintProjectCiConfig, toApiCiLint } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { json } from "../../../../../../../server/http";
import { parseParams, readParams, zBool } from "../../../../../../../server/api-params";
import { projectRoute } from "../../../../../../../server/api-route";

export const dynamic = "force-dynamic";

const ref = z.string().min(1).max(1024).optional();

const PostParams = z.object({
  content: z.string(),
  dry_run: zBool.optional(),
  include_jobs: zBool.optional(),
  ref,
});

const GetParams = z.object({
  content_ref: ref,
  sha: ref,
  dry_run: zBool.optional(),
  dry_run_ref: ref,
  ref,
  include_jobs: zBool.optional(),
});

export const POST = projectRoute<{ id: string }>(
  async ({ req, user, project }) => {
    const p = parseParams(PostParams, await readParams(req));
    const result = await lintCiConfig({
      db: getDb(),
      user,
      project,
      content: p.content,
      ref: p.ref ?? null,
      dryRun: p.dry_run ?? false,
    });
    return json(toApiCiLint(result, project, p.include_jobs ?? false));
  },
  { minLevel: ACCESS_LEVELS.developer },
);

export const GET = projectRoute<{ id: string }>(
  async ({ req, user, project }) => {
    const p = parseParams(GetParams, await readParams(req));
    const result = await lintProjectCiConfig({
      db: getDb(),
      user,
      project,
      contentRef: p.content_ref ?? p.sha ?? null,
      dryRunRef: p.dry_run_ref ?? p.ref ?? null,
      dryRun: p.dry_run ?? false,
    });
    return json(toApiCiLint(result, project, p.include_jobs ?? false));
  },
  { repository: true },
);
