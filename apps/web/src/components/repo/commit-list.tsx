import { Link } from "../link";
import type { CommitSummary } from "@minilab/git";
import { isoTitle, shortSha, timeAgo } from "../../lib/format";
import { Avatar } from "../top-bar";
import { commitUrl } from "./urls";

/** Commits grouped by day (GitLab style), each with title, author, relative date and sha. */
export function CommitList({ base, commits }: { base: string; commits: CommitSummary[] }) {
  const days = new Map<string, CommitSummary[]>();
  for (const c of commits) {
    const day = c.committedAt.toISOString().slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), c]);
  }
  return (
    <div className="space-y-4">
      {[...days].map(([day, list]) => (
        <section key={day}>
          <h3 className="mb-1.5 text-sm font-semibold text-zinc-600">{day}</h3>
          <ul className="card divide-y divide-zinc-100">
            {list.map((c) => (
              <li key={c.sha} className="flex items-center gap-3 px-4 py-2.5" data-testid="commit-row">
                <Avatar name={c.authorName} size={32} />
                <div className="min-w-0 flex-1">
                  <Link href={commitUrl(base, c.sha)} className="block truncate font-medium text-zinc-900">
                    {c.title || "(no commit message)"}
                  </Link>
                  <p className="text-xs text-zinc-600">
                    <span title={c.authorEmail}>{c.authorName}</span> authored{" "}
                    <time dateTime={c.authoredAt.toISOString()} title={isoTitle(c.authoredAt)}>
                      {timeAgo(c.authoredAt)}
                    </time>
                  </p>
                </div>
                <Link href={commitUrl(base, c.sha)} className="code shrink-0" data-testid="commit-sha">
                  {shortSha(c.sha)}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
