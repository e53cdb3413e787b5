import type { Db, Project, User } from "@minilab/db";
import { accessLevelFor } from "./access-level-for.ts";
import { assertCanManage } from "./permissions.ts";

/** Shared guard of the settings use-cases: the actor must be maintainer+; returns their level. */
export async function assertManager(db: Db, actor: User | null, project: Project): Promise<number> {
  const level = await accessLevelFor({ db, user: actor, project });
  assertCanManage(actor, project, level);
  return level;
}
