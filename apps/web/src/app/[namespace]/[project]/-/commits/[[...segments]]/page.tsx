import type { Metadata } from "next";
import { Link } from "../../../../../../components/link";
import { redirect } from "next/navigation";
import { defaultBranchCommit, listProjectCommits, resolveTreeRef } from "@minilab/core";
import { CommitList } from "../../../../../../components/repo/commit-list";
import { PathHeader } from "../../../../../../components/repo/path-header";
import { commitsUrl, joinSegments } from "../../../../../../components/repo/urls";
import { loadRepo, orNotFound } from "../../../../../../server/repo-page";

export const metadata: Metadata = { title: "Commits" };

const PER_PAGE = 40;

type Props = {
  params: Promise<{ namespace: string; project: string; segments?: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function CommitsPage({ params, searchParams }: Props) {
  const { namespace, project, segments } = await params;
  const ctx = await loadRepo(namespace, project);
  const segs = joinSegments(segments);
  if (segs.length === 0) {
    const head = await orNotFound(defaultBranchCommit(ctx));
    redirect(head ? commitsUrl(ctx.base, ctx.project.defaultBranch) : ctx.base);
  }
  const r = await orNotFound(resolveTreeRef({ ...ctx, segments: segs }));
  const raw = (await searchParams)["page"];
  const page = typeof raw === "string" && /^\d{1,6}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
  const { commits, hasMore } = await orNotFound(
    listProjectCommits({ ...ctx, sha: r.sha, path: r.path, page, perPage: PER_PAGE }),
  );
  const here = commitsUrl(ctx.base, r.ref, r.path);
  return (
    <div>
      <PathHeader base={ctx.base} projectName={ctx.project.path} refName={r.ref} path={r.path} />
      {commits.length === 0 ? (
        <p className="muted">No commits on this page.</p>
      ) : (
        <CommitList base={ctx.base} commits={commits} />
      )}
      <nav aria-label="Pagination" className="mt-4 flex items-center justify-center gap-2 text-sm">
        {page > 1 && (
          <Link className="btn" href={`${here}?page=${page - 1}`} rel="prev">
            ‹ Newer
          </Link>
        )}
        <span className="px-2 text-zinc-600">Page {page}</span>
        {hasMore && (
          <Link className="btn" href={`${here}?page=${page + 1}`} rel="next">
            Older ›
          </Link>
        )}
      </nav>
    </div>
  );
}
