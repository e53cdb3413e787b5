import type { Db, Prisma, User } from "@minilab/db";
import type { Page } from "./types.ts";

export interface ListApiUsersOptions {
  db: Db;
  /** Exact username, ignoring case (GitLab's `?username=`). */
  username?: string | undefined;
  /** Substring of username, name or (for admins only, see the route) email. */
  search?: string | undefined;
  /** Whether `search` may match email addresses (admins). @defaultValue false */
  searchEmail?: boolean | undefined;
  page: number;
  perPage: number;
}

/** GitLab's `GET /users`: by id ascending, one page plus the total. */
export async function listApiUsers(opts: ListApiUsersOptions): Promise<Page<User>> {
  const and: Prisma.UserWhereInput[] = [];
  if (opts.username !== undefined) and.push({ username: { equals: opts.username, mode: "insensitive" } });
  if (opts.search) {
    const q = { contains: opts.search, mode: "insensitive" } as const;
    and.push({ OR: [{ username: q }, { name: q }, ...(opts.searchEmail ? [{ email: q }] : [])] });
  }
  const where: Prisma.UserWhereInput = { AND: and };
  const page = Math.max(1, Math.floor(opts.page));
  const perPage = Math.max(1, Math.floor(opts.perPage));
  const [items, total] = await Promise.all([
    opts.db.user.findMany({ where, orderBy: { id: "asc" }, skip: (page - 1) * perPage, take: perPage }),
    opts.db.user.count({ where }),
  ]);
  return { items, total, page, perPage };
}
