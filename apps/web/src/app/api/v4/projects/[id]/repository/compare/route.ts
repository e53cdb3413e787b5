import { AppError, compareRefs, coreConfig, isAppError, toApiCommit, toApiDiff } from "@minilab/core";
import { getDb } from "@minilab/db";
import { z } from "zod";
import { projectRoute } from "../../../../../../../server/api-route";
import { parseParams, readParams } from "../../../../../../../server/api-params";
import { json } from "../../../../../../../server/http";

export const dynamic = "force-dynamic";

const Params = z.object({ from: z.string().min(1), to: z.string().min(1) });

/** GET /api/v4/projects/:id/repository/compare?from=&to= — commits from..to (oldest first) and the diff. */
export const GET = projectRoute<{ id: string }>(
  async ({ req, user, project }) => {
    const { from, to } = parseParams(Params, await readParams(req));
    const c = await compareRefs({ db: getDb(), user, project, from, to }).catch((e: unknown) => {
      if (isAppError(e) && (e.code === "not_found" || e.code === "invalid_input"))
        throw new AppError("not_found", "404 Ref Not Found");
      throw e;
    });
    const commits = [...c.commits].reverse().map((x) => toApiCommit(x, project));
    return json({
      commit: commits[commits.length - 1] ?? null,
      commits,
      diffs: c.diff.files.map(toApiDiff),
      compare_timeout: false,
      compare_same_ref: c.fromSha === c.toSha,
      web_url: `${coreConfig().externalUrl}/${project.namespace}/${project.path}/-/compare/${c.fromSha}...${c.toSha}`,
    });
  },
  { repository: true },
);
