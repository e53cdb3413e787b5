import { AppError, listRunners, toApiRunnerDetails } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../server/api-auth";
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
