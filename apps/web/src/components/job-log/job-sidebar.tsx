import { Link } from "../link";
import type { ReactNode } from "react";
import { durationSeconds, type JobRunnerView, type JobWithPipeline } from "@minilab/core";
import { formatDuration, isoTitle, shortSha } from "../../lib/format";
import { LiveDuration } from "./job-live";

/**
 * Job facts, GitLab's right-hand sidebar, with the retry / cancel / play controls on top for those
 * allowed to use them (`actions`, see components/job-controls.tsx).
 */
export function JobSidebar({
  job,
  runner,
  base,
  actions,
}: {
  job: JobWithPipeline;
  runner: JobRunnerView | null;
  base: string;
  actions?: ReactNode;
}) {
  const queued = job.queuedAt && job.startedAt ? durationSeconds(job.queuedAt, job.startedAt) : null;
  const finished = job.finishedAt ? durationSeconds(job.startedAt, job.finishedAt) : null;
  return (
    <aside aria-label="Job details" className="card h-fit p-4 text-sm" data-testid="job-sidebar">
      {actions}
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5">
        <dt className="muted">Duration</dt>
        <dd>
          <LiveDuration startedAt={job.startedAt?.toISOString() ?? null} seconds={finished} />
        </dd>
        <dt className="muted">Queued</dt>
        <dd className="font-mono text-xs" data-testid="job-queued">
          {queued === null ? "—" : `${formatDuration(queued)}`}
        </dd>
        {job.finishedAt && (
          <>
            <dt className="muted">Finished</dt>
            <dd>
              <time dateTime={job.finishedAt.toISOString()}>{isoTitle(job.finishedAt)}</time>
            </dd>
          </>
        )}
        <dt className="muted">Runner</dt>
        <dd data-testid="job-runner">
          {runner ? `#${runner.id}${runner.description ? ` (${runner.description})` : ""}` : "—"}
        </dd>
        <dt className="muted">Stage</dt>
        <dd>{job.stage}</dd>
        <dt className="muted">Pipeline</dt>
        <dd>
          <Link href={`${base}/-/pipelines/${job.pipeline.id}`} data-testid="job-pipeline-link">
            #{job.pipeline.iid}
          </Link>
        </dd>
        <dt className="muted">{job.pipeline.tag ? "Tag" : "Branch"}</dt>
        <dd>
          <span className="code">{job.pipeline.ref}</span>
        </dd>
        <dt className="muted">Commit</dt>
        <dd>
          <Link href={`${base}/-/commit/${job.pipeline.sha}`} className="code" title={job.pipeline.sha}>
            {shortSha(job.pipeline.sha)}
          </Link>
        </dd>
        {job.allowFailure && (
          <>
            <dt className="muted">Failure</dt>
            <dd className="text-amber-700">allowed to fail</dd>
          </>
        )}
      </dl>
    </aside>
  );
}
