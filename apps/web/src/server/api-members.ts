/** Parameters and look-ups of the project members API routes. */
import { ACCESS_LEVELS, AppError, listProjectMembers, type ProjectMemberInfo } from "@minilab/core";
import { getDb, type Project } from "@minilab/db";
import { z } from "zod";
import { zInt } from "./api-params";

const LEVELS: readonly number[] = Object.values(ACCESS_LEVELS);

/** GitLab's access levels 10..50; anything else is "access_level does not have a valid value". */
export const AccessLevelParam = zInt.pipe(
  z.number().refine((n) => LEVELS.includes(n), { message: "does not have a valid value" }),
);

/** The member with that user id (or username), or `404 Member Not Found`. */
export async function memberOf(
  project: Pick<Project, "id">,
  userId: number | null,
  username?: string,
): Promise<ProjectMemberInfo> {
  const members = await listProjectMembers({ db: getDb(), project });
  const m = members.find((x) =>
    userId !== null ? x.userId === userId : x.username.toLowerCase() === username?.toLowerCase(),
  );
  if (!m) throw new AppError("not_found", "404 Member Not Found");
  return m;
}
