import { Link } from "./link";
import { latestPipelinesByProject, pipelineReadableProjectIds } from "@minilab/core";
import { getDb, type Project } from "@minilab/db";
import { timeAgo } from "../lib/format";
import { StatusBadge } from "./status";
import { VisibilityBadge } from "./visibility";
import { Avatar } from "./top-bar";
import { currentUser } from "../server/session";

export async function ProjectList({ projects }: { projects: Project[] }) {
  const db = getDb();
  // "Public pipelines" off hides a project's pipelines from non-members.
  const readable = await pipelineReadableProjectIds({ db, user: await currentUser(), projects });
  const latest = await latestPipelinesByProject({ db, projectIds: [...readable] });
  const now = new Date();
  return (
    <ul className="card divide-y divide-zinc-200" data-testid="project-list">
      {projects.map((p) => {
        const pipeline = latest.get(p.id);
        const href = `/${p.namespace}/${p.path}`;
        return (
          <li key={p.id} className="flex items-center gap-3 px-4 py-3" data-testid="project-row">
            <Avatar name={p.name} size={32} />
            <div className="min-w-0 flex-1">
              <div className="flex items-center gap-2">
                <Link href={href} className="font-semibold text-zinc-900">
                  <span className="font-normal text-zinc-500">{p.namespace} / </span>
                  {p.name}
                </Link>
                <VisibilityBadge visibility={p.visibility} />
              </div>
              {p.description && <p className="truncate text-sm text-zinc-600">{p.description}</p>}
            </div>
            {pipeline && (
              <div className="flex shrink-0 flex-col items-end gap-0.5 text-xs">
                <Link
                  href={`${href}/-/pipelines/${pipeline.id}`}
                  aria-label={`Latest pipeline #${pipeline.iid}: ${pipeline.status}`}
                  data-testid="project-latest-pipeline"
                >
                  <StatusBadge status={pipeline.status} />
                </Link>
                <span className="muted hidden sm:block">
                  #{pipeline.iid} · <span className="code">{pipeline.ref}</span> ·{" "}
                  {timeAgo(pipeline.createdAt, now)}
                </span>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
