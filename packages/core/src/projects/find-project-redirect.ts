import type { Db, Project } from "@minilab/db";

export interface FindProjectRedirectOptions {
  db: Db;
  namespace: string;
  /** With or without a trailing `.git`. */
  path: string;
}

/** The project that used to live at `namespace/path` (see renameProject), or null. */
const SEGMENT = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,254}$/;

export async function findProjectRedirect({
  db,
  namespace,
  path,
}: FindProjectRedirectOptions): Promise<Project | null> {
  if (!SEGMENT.test(namespace) || !SEGMENT.test(path)) return null;
  const r = await db.projectRedirect.findUnique({
    where: {
      namespace_path: { namespace: namespace.toLowerCase(), path: path.replace(/\.git$/, "").toLowerCase() },
    },
    include: { project: true },
  });
  return r?.project ?? null;
}
