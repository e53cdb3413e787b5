import { Link } from "./link";
import { pipelineReadableProjectIds, recentPipelines } from "@minilab/core";
import { getDb, type Project } from "@minilab/db";
import { shortSha, timeAgo } from "../lib/format";
import { StatusIcon } from "./status";
import { currentUser } from "../server/session";

/** The dashboard's activity feed: the newest pipelines across the user's projects. */
export async function RecentPipelines({ projects }: { projects: Project[] }) {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const readable = await pipelineReadableProjectIds({ db: getDb(), user: await currentUser(), projects });
  const items = await recentPipelines({ db: getDb(), projectIds: [...readable], limit: 15 });
  const now = new Date();
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading" className="mb-3 text-lg font-semibold">
        Recent pipelines
      </h2>
      {items.length === 0 ? (
        <p className="card muted p-4 text-sm">No pipelines yet in your projects.</p>
      ) : (
        <ol className="card divide-y divide-zinc-200 text-sm" data-testid="recent-pipelines">
          {items.map((pl) => {
            const p = byId.get(pl.projectId);
            if (!p) return null;
            const href = `/${p.namespace}/${p.path}/-/pipelines/${pl.id}`;
            return (
              <li key={pl.id} className="flex items-start gap-2 px-3 py-2" data-testid="recent-pipeline">
                <span className="mt-0.5">
                  <StatusIcon status={pl.status} />
                </span>
                <div className="min-w-0">
                  <Link href={href} className="font-medium">
                    {p.name} #{pl.iid}
                  </Link>
                  <div className="truncate text-zinc-700">{pl.commitTitle || "(no commit title)"}</div>
                  <div className="muted text-xs">
                    <span className="code">{pl.ref}</span> {shortSha(pl.sha)} · {pl.source} ·{" "}
                    <time dateTime={pl.createdAt.toISOString()}>{timeAgo(pl.createdAt, now)}</time>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
