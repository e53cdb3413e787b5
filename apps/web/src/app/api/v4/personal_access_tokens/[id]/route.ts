import { revokePersonalAccessToken } from "@minilab/core";
import { getDb } from "@minilab/db";
import { apiId } from "../../../../../server/api-auth";
import { userRoute } from "../../../../../server/api-route";
import { tokenOwner, tokenResponse } from "../../../../../server/api-tokens";

export const dynamic = "force-dynamic";

/** GET /api/v4/personal_access_tokens/:id — own tokens (admins: any). */
export const GET = userRoute<{ id: string }>(async ({ params, user }) =>
  tokenResponse(user, apiId(params.id, "Personal Access Token")),
);

/** DELETE /api/v4/personal_access_tokens/:id — revokes it (own tokens; admins: any); 204. */
export const DELETE = userRoute<{ id: string }>(async ({ params, user }) => {
  const id = apiId(params.id, "Personal Access Token");
  const userId = await tokenOwner(user, id);
  await revokePersonalAccessToken({ db: getDb(), userId, id });
  return new Response(null, { status: 204 });
});
