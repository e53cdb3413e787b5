import { ACCESS_LEVELS, testHook } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../../../../../server/api-auth";
import { projectRoute } from "../../../../../../../../../server/api-route";
import { json } from "../../../../../../../../../server/http";

export const dynamic = "force-dynamic";

/**
 * POST …/hooks/:hook_id/test/:trigger (push_events, tag_push_events, pipeline_events, job_events) —
 * sends a sample of that event built from the project's latest one, once, now. 201 when the receiver
 * answered 2xx; 422 with the failure otherwise (the attempt is in the delivery log either way).
 */
export const POST = projectRoute<{ id: string; hook_id: string; trigger: string }>(
  async ({ user, project, params }) => {
    const outcome = await testHook({
      db: getDb(),
      actor: user,
      project,
      id: apiId(params.hook_id, "Hook"),
      trigger: params.trigger,
    });
    if (outcome.state !== "delivered")
      return json({ message: `Hook execution failed: ${outcome.error ?? "no response"}` }, { status: 422 });
    return json({ message: "201 Created" }, { status: 201 });
  },
  { minLevel: ACCESS_LEVELS.maintainer },
);
