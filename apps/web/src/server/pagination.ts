/**
 * GitLab's offset pagination: `page` (1-based) and `per_page` (default 20, max 100), answered with
 * X-Total, X-Total-Pages, X-Page, X-Per-Page, X-Next-Page, X-Prev-Page and an RFC 8288 Link header.
 */
import { AppError } from "@minilab/core";

export interface PageRequest {
  page: number;
  perPage: number;
}

/** Absent or empty → fallback; not an integer → GitLab's 400 naming the parameter. */
const intParam = (name: string, v: string | null, fallback: number): number => {
  if (v === null || v.trim() === "") return fallback;
  if (!/^-?\d{1,9}$/.test(v.trim())) throw new AppError("invalid_input", `${name} is invalid`);
  return Number(v.trim());
};

/** Page 0 or below is the first page and `per_page` is clamped to 1..100, as GitLab does. */
export function pageRequest(req: Request): PageRequest {
  const q = new URL(req.url).searchParams;
  const page = Math.max(1, intParam("page", q.get("page"), 1));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, intParam("per_page", q.get("per_page"), 20)));
  return { page, perPage };
}

export const MAX_PER_PAGE = 100;

/** A page of `items` (of `total`) as GitLab answers a list: JSON array plus pagination headers. */
export function paginatedJson(req: Request, pr: PageRequest, items: unknown[], total: number): Response {
  return Response.json(items, { headers: paginationHeaders(req, pr, total) });
}

/** For lists computed in memory (git refs, members): slices `all` to the requested page. */
export function paginateArray<T, U = T>(req: Request, all: T[], map?: (item: T) => U): Response {
  const pr = pageRequest(req);
  const page = all.slice((pr.page - 1) * pr.perPage, pr.page * pr.perPage);
  return paginatedJson(req, pr, map ? page.map(map) : page, all.length);
}

export function paginationHeaders(req: Request, { page, perPage }: PageRequest, total: number): Headers {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const h = new Headers();
  h.set("X-Total", String(total));
  h.set("X-Total-Pages", String(totalPages));
  setPageHeaders(h, req, { page, perPage }, page < totalPages, totalPages);
  return h;
}

/**
 * For lists whose size is costly to count (git history): GitLab then omits X-Total and
 * X-Total-Pages and the `last` link, and says only whether a next page exists.
 */
export function paginationHeadersWithoutTotal(req: Request, pr: PageRequest, hasMore: boolean): Headers {
  const h = new Headers();
  setPageHeaders(h, req, pr, hasMore, null);
  return h;
}

function setPageHeaders(
  h: Headers,
  req: Request,
  { page, perPage }: PageRequest,
  hasNext: boolean,
  totalPages: number | null,
): void {
  h.set("X-Page", String(page));
  h.set("X-Per-Page", String(perPage));
  h.set("X-Next-Page", hasNext ? String(page + 1) : "");
  h.set("X-Prev-Page", page > 1 ? String(page - 1) : "");
  const link = (p: number, rel: string) => {
    const u = new URL(req.url);
    u.searchParams.set("page", String(p));
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.delete("private_token");
    u.searchParams.delete("job_token");
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (hasNext) links.push(link(page + 1, "next"));
  links.push(link(1, "first"));
  if (totalPages !== null) links.push(link(totalPages, "last"));
  h.set("Link", links.join(", "));
}
