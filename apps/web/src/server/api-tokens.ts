/** Shared by the personal access token API routes. */
import { AppError, toApiPersonalAccessToken } from "@minilab/core";
import { getDb, type User } from "@minilab/db";
import { json } from "./http";

/**
 * The owner of token `id` if `viewer` may see it (their own; admins: any). Someone else's token
 * is a 404, as if it did not exist.
 */
export async function tokenOwner(viewer: User, id: number): Promise<number> {
  const t = await getDb().personalAccessToken.findUnique({ where: { id }, select: { userId: true } });
  if (!t || (t.userId !== viewer.id && !viewer.isAdmin))
    throw new AppError("not_found", "404 Personal Access Token Not Found");
  return t.userId;
}

export async function tokenResponse(viewer: User, id: number): Promise<Response> {
  await tokenOwner(viewer, id);
  const t = await getDb().personalAccessToken.findUniqueOrThrow({ where: { id }, omit: { tokenHash: true } });
  return json(toApiPersonalAccessToken(t));
}
