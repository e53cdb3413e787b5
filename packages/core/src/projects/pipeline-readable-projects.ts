/**
 * Of projects a user may see, those whose pipelines they may see too (canReadPipelines): everything
 * but public/internal projects with "Public pipelines" off where the user is no member. For lists
 * (dashboard, its live stream) that show each project's pipelines; one access look-up per project
 * that has the setting off, none otherwise.
 */
import type { Db, Project, User } from "@minilab/db";
import { accessLevelFor } from "./access-level-for.ts";
import { canReadPipelines } from "./permissions.ts";

export async function pipelineReadableProjectIds({
  db,
  user,
  projects,
}: {
  db: Db;
  user: User | null;
  projects: readonly Project[];
}): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const p of projects) {
    if (p.publicBuilds) ids.add(p.id);
    else if (canReadPipelines(user, p, await accessLevelFor({ db, user, project: p }))) ids.add(p.id);
  }
  return ids;
}
