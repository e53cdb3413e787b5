import { Link } from "../link";
import type { RefWithPipeline } from "@minilab/core";
import { isoTitle, shortSha, timeAgo } from "../../lib/format";
import { StatusBadge } from "../status";
import { commitUrl, commitsUrl, compareUrl, treeUrl } from "./urls";

/** Branches or tags, each with its commit and the latest pipeline for that ref. */
export function RefList({
  base,
  refs,
  kind,
  defaultBranch,
}: {
  base: string;
  refs: RefWithPipeline[];
  kind: "branch" | "tag";
  defaultBranch: string;
}) {
  if (refs.length === 0) {
    return (
      <p className="muted card p-6 text-center">{kind === "branch" ? "No branches yet." : "No tags yet."}</p>
    );
  }
  return (
    <ul className="card divide-y divide-zinc-100" data-testid={`${kind}-list`}>
      {refs.map((r) => (
        <li key={r.name} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid={`${kind}-row`}>
          <div className="min-w-0 flex-1">
            <div className="flex items-center gap-2">
              <Link
                href={treeUrl(base, r.name)}
                className="font-mono font-semibold text-zinc-900"
                data-testid="ref-link"
              >
                {r.name}
              </Link>
              {kind === "branch" && r.name === defaultBranch && (
                <span className="rounded-full border border-blue-300 bg-blue-50 px-2 text-xs text-blue-800">
                  default
                </span>
              )}
            </div>
            <p className="mt-0.5 truncate text-sm text-zinc-600">
              <Link href={commitUrl(base, r.sha)} className="code">
                {shortSha(r.sha)}
              </Link>{" "}
              · {r.title} ·{" "}
              <time dateTime={r.committedAt.toISOString()} title={isoTitle(r.committedAt)}>
                {timeAgo(r.committedAt)}
              </time>
            </p>
            {r.message && r.message !== r.title && (
              <p className="mt-0.5 text-sm text-zinc-700">{r.message}</p>
            )}
          </div>
          {r.pipeline ? (
            <Link
              href={`${base}/-/pipelines/${r.pipeline.id}`}
              aria-label={`Pipeline #${r.pipeline.iid} of ${r.name}`}
            >
              <StatusBadge status={r.pipeline.status} testId="ref-pipeline-status" />
            </Link>
          ) : (
            <span className="muted text-xs">no pipeline</span>
          )}
          <span className="flex gap-2">
            <Link href={commitsUrl(base, r.name)} className="btn">
              Commits
            </Link>
            {kind === "branch" && r.name !== defaultBranch && (
              <Link href={compareUrl(base, defaultBranch, r.name)} className="btn">
                Compare
              </Link>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
