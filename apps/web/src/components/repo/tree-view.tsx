import { Link } from "../link";
import { browseTree, findReadme, listProjectCommits, type RepoReadOptions } from "@minilab/core";
import { isoTitle, shortSha, timeAgo } from "../../lib/format";
import { FileTree } from "./file-tree";
import { PathHeader } from "./path-header";
import { ReadmeCard } from "./readme";
import { commitUrl, commitsUrl } from "./urls";

export type TreeData = Awaited<ReturnType<typeof loadTree>>;

/** Everything a directory view shows. Throws the use-cases' AppErrors (pages map them to 404). */
export async function loadTree(ctx: RepoReadOptions, sha: string, path: string) {
  const [entries, readme, last] = await Promise.all([
    browseTree({ ...ctx, sha, path }),
    findReadme({ ...ctx, sha, path }),
    listProjectCommits({ ...ctx, sha, path, page: 1, perPage: 1 }),
  ]);
  return { entries, readme, commit: last.commits[0] ?? null };
}

/** A directory at a ref: path header, last commit touching it, listing, and its README. */
export function TreeView({
  ctx,
  base,
  refName,
  path,
  data: { entries, readme, commit },
}: {
  ctx: RepoReadOptions;
  base: string;
  refName: string;
  path: string;
  data: TreeData;
}) {
  return (
    <div className="space-y-4">
      <PathHeader base={base} projectName={ctx.project.path} refName={refName} path={path}>
        <Link href={commitsUrl(base, refName, path)} className="btn">
          History
        </Link>
      </PathHeader>
      {commit && (
        <div className="card flex flex-wrap items-center gap-3 px-4 py-2.5 text-sm" data-testid="last-commit">
          <Link href={commitUrl(base, commit.sha)} className="font-medium text-zinc-900">
            {commit.title}
          </Link>
          <span className="muted">
            {commit.authorName} authored{" "}
            <time dateTime={commit.authoredAt.toISOString()} title={isoTitle(commit.authoredAt)}>
              {timeAgo(commit.authoredAt)}
            </time>
          </span>
          <Link href={commitUrl(base, commit.sha)} className="code ml-auto">
            {shortSha(commit.sha)}
          </Link>
        </div>
      )}
      <FileTree base={base} refName={refName} path={path} entries={entries} />
      {readme && <ReadmeCard readme={readme} base={base} refName={refName} />}
    </div>
  );
}
