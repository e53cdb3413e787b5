import type { Metadata } from "next";
import { Link } from "../../../../../../components/link";
import { getCommitWithDiff } from "@minilab/core";
import { DiffView } from "../../../../../../components/repo/diff-view";
import { commitUrl, treeUrl } from "../../../../../../components/repo/urls";
import { isoTitle, shortSha, timeAgo } from "../../../../../../lib/format";
import { loadRepo, orNotFound } from "../../../../../../server/repo-page";

type Params = { params: Promise<{ namespace: string; project: string; sha: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { sha } = await params;
  return { title: `Commit ${sha.slice(0, 8)}` };
}

export default async function CommitPage({ params }: Params) {
  const { namespace, project, sha } = await params;
  const ctx = await loadRepo(namespace, project);
  const { commit, diff } = await orNotFound(getCommitWithDiff({ ...ctx, sha }));
  const body = commit.message.slice(commit.title.length).trim();
  return (
    <div className="space-y-5">
      <header className="card space-y-2 p-4">
        <div className="flex flex-wrap items-center gap-2 text-sm text-zinc-600">
          <span>
            Commit{" "}
            <span className="code" data-testid="commit-full-sha">
              {commit.sha}
            </span>
          </span>
          <span>
            authored{" "}
            <time dateTime={commit.authoredAt.toISOString()} title={isoTitle(commit.authoredAt)}>
              {timeAgo(commit.authoredAt)}
            </time>{" "}
            by <strong className="text-zinc-800">{commit.authorName}</strong>
          </span>
          <Link href={treeUrl(ctx.base, commit.sha)} className="btn ml-auto">
            Browse files
          </Link>
        </div>
        <h2 className="text-xl font-semibold" data-testid="commit-title">
          {commit.title}
        </h2>
        {body && <pre className="font-sans text-sm whitespace-pre-wrap text-zinc-700">{body}</pre>}
        <p className="text-sm text-zinc-600">
          {commit.parents.length === 0
            ? "Root commit"
            : `${commit.parents.length === 1 ? "Parent" : "Parents"}: `}
          {commit.parents.map((p, i) => (
            <span key={p}>
              {i > 0 && " + "}
              <Link href={commitUrl(ctx.base, p)} className="code">
                {shortSha(p)}
              </Link>
            </span>
          ))}
        </p>
      </header>
      <DiffView base={ctx.base} diff={diff} headSha={commit.sha} />
    </div>
  );
}
