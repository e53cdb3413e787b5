import { readJobLog } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../../server/api-route";
import { projectJob } from "../../../../../../../../server/api-jobs";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/jobs/:job_id/trace — the raw log as stored (ANSI codes included). */
export const GET = projectRoute<{ id: string; job_id: string }>(
  async ({ project, params }) => {
    const job = await projectJob(project, params.job_id);
    const log = await readJobLog({ db: getDb(), jobId: job.id });
    return new Response(new Uint8Array(log), {
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  },
  { builds: true },
);
