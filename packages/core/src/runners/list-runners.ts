/** Runners for the admin page, newest first, with the online flag derived from the last contact. */
import { ONLINE_WINDOW_MS } from "@minilab/contracts";
import type { Db, Runner } from "@minilab/db";

export type RunnerSummary = Omit<Runner, "tokenHash"> & { online: boolean };

export async function listRunners({
  db,
  now = new Date(),
}: {
  db: Db;
  now?: Date;
}): Promise<RunnerSummary[]> {
  const rows = await db.runner.findMany({ orderBy: { id: "desc" } });
  return rows.map(({ tokenHash: _hidden, ...r }) => ({
    ...r,
    online: r.contactedAt !== null && now.getTime() - r.contactedAt.getTime() < ONLINE_WINDOW_MS,
  }));
}

/** Deletes a runner; its token stops working at once. Jobs it ran keep their history (runner_id → null). */
export async function deleteRunner({ db, id }: { db: Db; id: number }): Promise<boolean> {
  const { count } = await db.runner.deleteMany({ where: { id } });
  return count === 1;
}
