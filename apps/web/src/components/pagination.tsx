import { Link } from "./link";

export function Pagination({
  base,
  page,
  totalPages,
  params = {},
}: {
  base: string;
  page: number;
  totalPages: number;
  /** Other query parameters to keep (e.g. list filters). */
  params?: Record<string, string>;
}) {
  if (totalPages <= 1) return null;
  const href = (p: number) => `${base}?${new URLSearchParams({ ...params, page: String(p) }).toString()}`;
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-center gap-2 text-sm">
      {page > 1 ? (
        <Link className="btn" href={href(page - 1)} rel="prev">
          ‹ Prev
        </Link>
      ) : (
        <span className="btn opacity-50" aria-disabled="true">
          ‹ Prev
        </span>
      )}
      <span className="px-2 text-zinc-600">
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? (
        <Link className="btn" href={href(page + 1)} rel="next">
          Next ›
        </Link>
      ) : (
        <span className="btn opacity-50" aria-disabled="true">
          Next ›
        </span>
      )}
    </nav>
  );
}
