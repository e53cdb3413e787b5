import { listProjectBranches, toApiBranch } from "@minilab/core";
import { getDb } from "@minilab/db";
import { projectRoute } from "../../../../../../../server/api-route";
import { branchFlagger } from "../../../../../../../server/api-repository";
import { paginateArray } from "../../../../../../../server/pagination";

export const dynamic = "force-dynamic";

/** GET /api/v4/projects/:id/repository/branches — `search` filters by name (`^x` / `x$` anchor). */
export const GET = projectRoute<{ id: string }>(
  async ({ req, user, project, level, query }) => {
    const refs = await listProjectBranches({ db: getDb(), user, project });
    const search = query.get("search") ?? "";
    const flags = await branchFlagger(project, level);
    const sorted = refs
      .filter((r) => matchesSearch(r.name, search))
      .sort((a, b) => a.name.localeCompare(b.name));
    return paginateArray(req, sorted, (r) => toApiBranch(r, project, flags(r.name)));
  },
  { repository: true },
);

/** GitLab's branch search: substring, or prefix with `^`, or suffix with `$`. */
function matchesSearch(name: string, search: string): boolean {
  if (!search) return true;
  const n = name.toLowerCase();
  const s = search.toLowerCase();
  if (s.startsWith("^")) return n.startsWith(s.slice(1));
  if (s.endsWith("$")) return n.endsWith(s.slice(0, -1));
  return n.includes(s);
}
