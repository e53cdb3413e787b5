import { z } from "zod";
import { ACCESS_LEVELS, runPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../server/api-route";
import { json, parseInput } from "../../../../../../server/http";
import { apiPipelineBody, badRequest } from "../../../../../../server/job-controls-api";

export const dynamic = "force-dynamic";

const Body = z.object({
  ref: z.string().min(1, "is missing").max(1024),
  variables: z
    .array(
      z.object({
        key: z.string().min(1).max(255),
        value: z.string().max(10_000),
        variable_type: z.enum(["env_var", "file"]).optional(),
      }),
    )
    .max(200)
    .optional(),
});

/**
 * POST /api/v4/projects/:id/pipeline — run a pipeline for `ref` (source `api`), developer+. JSON
 * body or query string (`?ref=main`); `variables: [{ key, value, variable_type }]` where `file`
 * variables reach jobs as a temporary file whose path the variable holds. 201 with the pipeline; GitLab's 400s otherwise: `ref is
 * missing`, `{ message: { base: ["Reference not found"] } }`, workflow rules, missing CI file.
 */
export const POST = projectRoute<{ id: string }>(
  async ({ req, project, user, query }) => {
    const text = await req.text();
    let raw: Record<string, unknown> = {};
    try {
      raw = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return badRequest("Request body is not valid JSON");
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return badRequest("Invalid body");
    const ref = raw["ref"] ?? query.get("ref");
    if (ref === undefined || ref === null || ref === "")
      return Response.json({ error: "ref is missing" }, { status: 400 });
    const body = parseInput(Body, { ...raw, ref });
    const variables = body.variables ?? [];
    const pipeline = await runPipeline({
      db: getDb(),
      projectId: project.id,
      userId: user!.id,
      ref: body.ref,
      source: "api",
      variables: Object.fromEntries(variables.map((v) => [v.key, v.value])),
      // The last entry of a repeated key wins, for its type as for its value.
      fileVariables: [...new Map(variables.map((v) => [v.key, v.variable_type === "file"]))]
        .filter(([, file]) => file)
        .map(([key]) => key),
    });
    return json(await apiPipelineBody(project, pipeline.id), { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.developer },
);
