import { Link } from "../link";
import type { ReactNode } from "react";
import { treeUrl } from "./urls";

/** `ref` badge, then the path as breadcrumbs (`project / src / lib`), then optional actions. */
export function PathHeader({
  base,
  projectName,
  refName,
  path,
  children,
}: {
  base: string;
  projectName: string;
  refName: string;
  path: string;
  children?: ReactNode;
}) {
  const segs = path ? path.split("/") : [];
  return (
    <div className="mb-4 flex flex-wrap items-center gap-3">
      <Link
        href={`${base}/-/branches`}
        className="btn font-mono"
        title="Switch branch or tag"
        data-testid="ref-name"
      >
        {refName}
      </Link>
      <nav
        aria-label="File path"
        className="flex flex-wrap items-center gap-1 text-sm"
        data-testid="path-crumbs"
      >
        <Link href={treeUrl(base, refName)} className="font-semibold">
          {projectName}
        </Link>
        {segs.map((s, i) => (
          <span key={i} className="flex items-center gap-1">
            <span className="muted">/</span>
            {i === segs.length - 1 ? (
              <span className="font-semibold text-zinc-900">{s}</span>
            ) : (
              <Link href={treeUrl(base, refName, segs.slice(0, i + 1).join("/"))}>{s}</Link>
            )}
          </span>
        ))}
      </nav>
      <div className="ml-auto flex items-center gap-2">{children}</div>
    </div>
  );
}
