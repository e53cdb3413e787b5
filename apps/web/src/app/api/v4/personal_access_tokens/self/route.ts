import { AppError, revokePersonalAccessToken } from "@minilab/core";
import { userRoute } from "../../../../../server/api-route";
import { tokenResponse } from "../../../../../server/api-tokens";
import { getDb } from "@minilab/db";

export const dynamic = "force-dynamic";

/** The token this request authenticated with (sessions have none: 401, as in GitLab). */
function selfId(tokenId: number | undefined): number {
  if (tokenId === undefined) throw new AppError("unauthorized", "401 Unauthorized");
  return tokenId;
}

/** GET /api/v4/personal_access_tokens/self — any scope may read itself. */
export const GET = userRoute(async ({ caller, user }) => tokenResponse(user, selfId(caller.tokenId)), {
  scope: "user",
});

/** DELETE /api/v4/personal_access_tokens/self — revokes the token used; 204. */
export const DELETE = userRoute(async ({ caller, user }) => {
  await revokePersonalAccessToken({ db: getDb(), userId: user.id, id: selfId(caller.tokenId) });
  return new Response(null, { status: 204 });
});
