import type { Db } from "@minilab/db";
import type { RegistryTokenClaims } from "@minilab/registry";
import { accessLevelFor } from "../projects/access-level-for.ts";
import { canReadRepository } from "../projects/permissions.ts";

/**
 * `GET /v2/_catalog`: repository names in lexical order, at most `n` after `last`, limited to
 * projects whose repository the token's user (or job) may read.
 */
export async function listRegistryCatalog(
  db: Db,
  claims: RegistryTokenClaims,
  page: { n: number; last: string | null },
): Promise<{ repositories: string[]; more: boolean }> {
  const user = claims.uid ? await db.user.findUnique({ where: { id: claims.uid } }) : null;
  const job = claims.jid
    ? await db.job.findUnique({ where: { id: claims.jid }, select: { projectId: true } })
    : null;
  const out: string[] = [];
  let last = page.last;
  // Scan in batches until a page of readable repositories is full.
  for (;;) {
    const rows = await db.registryRepository.findMany({
      where: last !== null ? { path: { gt: last } } : {},
      orderBy: { path: "asc" },
      take: 200,
      include: { project: true },
    });
    for (const r of rows) {
      const level = user ? await accessLevelFor({ db, user, project: r.project }) : 0;
      const readable = job ? job.projectId === r.projectId : canReadRepository(user, r.project, level);
      if (!readable) continue;
      if (out.length === page.n) return { repositories: out, more: true };
      out.push(r.path);
    }
    if (rows.length < 200) return { repositories: out, more: false };
    last = rows[rows.length - 1]?.path ?? null;
  }
}
