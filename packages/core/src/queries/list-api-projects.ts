import type { Db, Prisma, Project, User, Visibility } from "@minilab/db";
import type { Page } from "./types.ts";

export interface ListApiProjectsOptions {
  db: Db;
  /** null lists what anonymous callers see (public projects). */
  user: User | null;
  /** Matches name, path or namespace, ignoring case. */
  search?: string | undefined;
  /** Only projects in the user's namespace. */
  owned?: boolean | undefined;
  /** Only projects the user is a member of (admins too: their own memberships). */
  membership?: boolean | undefined;
  visibility?: Visibility | undefined;
  /** @defaultValue "created_at" */
  orderBy?: "id" | "name" | "path" | "created_at" | "updated_at" | "last_activity_at" | undefined;
  /** @defaultValue "desc" */
  sort?: "asc" | "desc" | undefined;
  page: number;
  perPage: number;
}

const COLUMN = {
  id: "id",
  name: "name",
  path: "path",
  created_at: "createdAt",
  updated_at: "updatedAt",
  last_activity_at: "updatedAt",
} as const;

/**
 * GitLab's `GET /projects`: the projects the caller may see (canReadProject's rule as a query),
 * narrowed by the filters, one page of them plus the total.
 */
export async function listApiProjects(opts: ListApiProjectsOptions): Promise<Page<Project>> {
  const { db, user } = opts;
  const and: Prisma.ProjectWhereInput[] = [];
  if (!user) and.push({ visibility: "public" });
  else if (!user.isAdmin)
    and.push({
      OR: [
        { visibility: { in: ["public", "internal"] } },
        { ownerId: user.id },
        { members: { some: { userId: user.id } } },
      ],
    });
  if (opts.search) {
    const q = { contains: opts.search, mode: "insensitive" } as const;
    and.push({ OR: [{ name: q }, { path: q }, { namespace: q }] });
  }
  if (opts.owned) and.push(user ? { ownerId: user.id } : { id: -1 });
  if (opts.membership)
    and.push(user ? { OR: [{ ownerId: user.id }, { members: { some: { userId: user.id } } }] } : { id: -1 });
  if (opts.visibility) and.push({ visibility: opts.visibility });
  const where: Prisma.ProjectWhereInput = { AND: and };
  const dir = opts.sort ?? "desc";
  const orderBy: Prisma.ProjectOrderByWithRelationInput[] = [
    { [COLUMN[opts.orderBy ?? "created_at"]]: dir },
    { id: dir },
  ];
  const page = Math.max(1, Math.floor(opts.page));
  const perPage = Math.max(1, Math.floor(opts.perPage));
  const [items, total] = await Promise.all([
    db.project.findMany({ where, orderBy, skip: (page - 1) * perPage, take: perPage }),
    db.project.count({ where }),
  ]);
  return { items, total, page, perPage };
}
