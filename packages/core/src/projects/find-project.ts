import type { Db, Project } from "@minilab/db";

export interface FindProjectOptions {
  db: Db;
  /** A numeric id (`"42"` or `42`), or `"namespace/path"`, possibly URL-encoded (`ns%2Fpath`) as in GitLab's API. */
  ref: string | number;
}

const SEGMENT = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,254}$/;

export async function findProject({ db, ref }: FindProjectOptions): Promise<Project | null> {
  const raw = String(ref);
  if (/^\d+$/.test(raw)) {
    const id = Number(raw);
    return Number.isSafeInteger(id) && id <= 2_147_483_647 ? db.project.findUnique({ where: { id } }) : null;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const match = /^([^/]+)\/([^/]+?)(?:\.git)?$/.exec(decoded);
  if (!match) return null;
  const [, namespace = "", path = ""] = match;
  // Anything that cannot be a stored segment (NUL bytes, '..', stray characters) cannot name a
  // project: answer "not found" without a query (Postgres rejects NUL in text with an error).
  if (!SEGMENT.test(namespace) || !SEGMENT.test(path)) return null;
  return db.project.findFirst({
    where: {
      namespace: { equals: namespace, mode: "insensitive" },
      path: { equals: path, mode: "insensitive" },
    },
  });
}
