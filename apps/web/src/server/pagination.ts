/**
 * GitLab's offset pagination: `page` (1-based) and `per_page` (default 20, max 100), answered with
 * X-Total, X-Total-Pages, X-Page, X-Per-Page, X-Next-Page, X-Prev-Page and an RFC 8288 Link header.
 */
export interface PageRequest {
  page: number;
  perPage: number;
}

const intParam = (v: string | null, fallback: number): number => {
  if (v === null || !/^\d{1,9}$/.test(v.trim())) return fallback;
  return Number(v.trim());
};

export function pageRequest(req: Request): PageRequest {
  const q = new URL(req.url).searchParams;
  const page = Math.max(1, intParam(q.get("page"), 1));
  const perPage = Math.min(100, Math.max(1, intParam(q.get("per_page"), 20)));
  return { page, perPage };
}

export function paginationHeaders(req: Request, { page, perPage }: PageRequest, total: number): Headers {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const h = new Headers();
  h.set("X-Total", String(total));
  h.set("X-Total-Pages", String(totalPages));
  h.set("X-Page", String(page));
  h.set("X-Per-Page", String(perPage));
  h.set("X-Next-Page", page < totalPages ? String(page + 1) : "");
  h.set("X-Prev-Page", page > 1 ? String(page - 1) : "");
  const link = (p: number, rel: string) => {
    const u = new URL(req.url);
    u.searchParams.set("page", String(p));
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.delete("private_token");
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < totalPages) links.push(link(page + 1, "next"));
  links.push(link(1, "first"), link(totalPages, "last"));
  h.set("Link", links.join(", "));
  return h;
}
