import type { Db, PipelineStatus, Prisma } from "@minilab/db";
import { pipelineSelect, type Page, type PipelineView } from "./types.ts";

export interface PipelineFilters {
  status?: PipelineStatus | undefined;
  /** Exact ref name (branch or tag). */
  ref?: string | undefined;
  /** push | web | api | trigger | schedule */
  source?: string | undefined;
  /** Username of the user who started the pipeline (GitLab's `?username=`), case-insensitive. */
  username?: string | undefined;
}

/** A project's pipelines, newest first, optionally filtered. `page` is 1-based. */
export async function listPipelines(
  opts: {
    db: Db;
    projectId: number;
    page: number;
    perPage: number;
  } & PipelineFilters,
): Promise<Page<PipelineView>> {
  const { db, projectId } = opts;
  const page = Math.max(1, Math.floor(opts.page));
  const perPage = Math.max(1, Math.floor(opts.perPage));
  const where: Prisma.PipelineWhereInput = {
    projectId,
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.ref ? { ref: opts.ref } : {}),
    ...(opts.source ? { source: opts.source } : {}),
    ...(opts.username ? { user: { username: { equals: opts.username, mode: "insensitive" } } } : {}),
  };
  const [items, total] = await Promise.all([
    db.pipeline.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (page - 1) * perPage,
      take: perPage,
      select: pipelineSelect,
    }),
    db.pipeline.count({ where }),
  ]);
  return { items, total, page, perPage };
}

/** Usernames of the users who started pipelines, by user id (for "by <username>" in lists). */
export async function usernamesByIds(opts: { db: Db; ids: (number | null)[] }): Promise<Map<number, string>> {
  const ids = [...new Set(opts.ids.filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const users = await opts.db.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, username: true },
  });
  return new Map(users.map((u) => [u.id, u.username]));
}
