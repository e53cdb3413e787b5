/**
 * The app's list tables (pipelines, tokens, runners, members, protected branches…): one header
 * style, scoped column headers, an optional caption for screen readers, and horizontal scrolling
 * on narrow screens instead of a page wider than the viewport.
 */
import type { ReactNode } from "react";

export interface Column {
  label: string;
  /** Read by screen readers only (e.g. an actions column). @defaultValue false */
  hidden?: boolean;
  className?: string;
}

export function DataTable({
  columns,
  caption,
  captionClassName = "sr-only",
  testId,
  bare = false,
  children,
}: {
  columns: (string | Column)[];
  /** A caption naming the table (for screen readers only, unless `captionClassName` says otherwise). */
  caption?: ReactNode;
  /** @defaultValue "sr-only" */
  captionClassName?: string;
  testId?: string;
  /** Inside a card already: no card of its own. @defaultValue false */
  bare?: boolean;
  /** The rows (`<tr>`s). */
  children: ReactNode;
}) {
  const table = (
    <table className="w-full text-left text-sm" data-testid={testId}>
      {caption && <caption className={captionClassName}>{caption}</caption>}
      <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-600 uppercase">
        <tr>
          {columns.map((c) => {
            const col = typeof c === "string" ? { label: c } : c;
            return (
              <th key={col.label} scope="col" className={`px-4 py-2 font-semibold ${col.className ?? ""}`}>
                {col.hidden ? <span className="sr-only">{col.label}</span> : col.label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-200">{children}</tbody>
    </table>
  );
  return bare ? (
    <div className="overflow-x-auto">{table}</div>
  ) : (
    <div className="card overflow-x-auto">{table}</div>
  );
}
