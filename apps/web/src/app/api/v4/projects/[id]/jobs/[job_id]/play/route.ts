import { z } from "zod";
import { ACCESS_LEVELS, isAppError, playJob } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../server/api-route";
import { json, parseInput } from "../../../../../../../../server/http";
import { apiJobBody, badRequest, jobStatusInProject } from "../../../../../../../../server/job-controls-api";
import { runScheduledNow } from "../../../../../../../../server/scheduled-jobs";

export const dynamic = "force-dynamic";

const Body = z.object({
  job_variables_attributes: z
    .array(z.object({ key: z.string().max(255), value: z.string().max(10_000) }))
    .max(100)
    .optional(),
});

/**
 * POST /api/v4/projects/:id/jobs/:job_id/play — developer+ (and push/merge rights on a protected
 * branch). Plays a manual job, optionally with `job_variables_attributes: [{ key, value }]`, or runs
 * a delayed job now. 200 with the job; anything else is GitLab's 400 "Unplayable Job".
 */
export const POST = projectRoute<{ id: string; job_id: string }>(
  async ({ req, project, user, params }) => {
    const jobId = apiId(params.job_id, "Job");
    const status = await jobStatusInProject(project, jobId);
    const text = await req.text();
    let raw: unknown = {};
    try {
      raw = text.trim() ? JSON.parse(text) : {};
    } catch {
      return badRequest("Request body is not valid JSON");
    }
    const body = parseInput(Body, raw);
    try {
      if (status === "scheduled") await runScheduledNow({ jobId, userId: user!.id });
      else
        await playJob({
          db: getDb(),
          jobId,
          userId: user!.id,
          projectId: project.id,
          variables: body.job_variables_attributes ?? [],
        });
    } catch (e) {
      if (isAppError(e) && e.details?.["unplayable"] === true) return badRequest("Unplayable Job");
      throw e;
    }
    return json(await apiJobBody(project, jobId), { status: 200 });
  },
  { minLevel: ACCESS_LEVELS.developer },
);
