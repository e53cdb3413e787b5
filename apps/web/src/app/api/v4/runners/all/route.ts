import { AppError } from "@minilab/core";
import { userRoute } from "../../../../../server/api-route";
import { runnerList } from "../../../../../server/api-runners";

export const dynamic = "force-dynamic";

/** GET /api/v4/runners/all — every runner of the instance; admins only (403 otherwise). */
export const GET = userRoute(async ({ req, user }) => {
  if (!user.isAdmin) throw new AppError("forbidden", "403 Forbidden");
  return runnerList(req);
});
