import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { durationSeconds, getJob, isFinishedStatus, readJobLog } from "@minilab/core";
import { getDb } from "@minilab/db";
import { JobStream, LiveJobStatus, LiveLog } from "../../../../../../components/job-stream";
import { formatDuration, isoTitle, shortSha } from "../../../../../../lib/format";
import { loadProject, parseId, projectPath } from "../../../../../../server/project";
import { completeUtf8Length } from "../../../../../../lib/utf8";

type Params = { params: Promise<{ namespace: string; project: string; id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id}` };
}

export default async function JobPage({ params }: Params) {
  const { namespace, project: path, id } = await params;
  const { project } = await loadProject(namespace, path);
  const jobId = parseId(id);
  if (jobId === null) notFound();
  const db = getDb();
  const job = await getJob({ db, projectId: project.id, jobId });
  if (!job) notFound();
  // Render what is stored now; the live stream continues from this exact byte offset.
  const bytes = await readJobLog({ db, jobId });
  const cut = completeUtf8Length(bytes);
  const initialLog = new TextDecoder().decode(bytes.subarray(0, cut));
  const base = projectPath(project);
  const finished = isFinishedStatus(job.status);
  return (
    <JobStream
      streamUrl={`${base}/-/jobs/${job.id}/trace.stream`}
      initialStatus={job.status}
      initialLog={initialLog}
      initialOffset={cut}
      live={!finished}
    >
      <div className="mb-4 border-b border-zinc-200 pb-4">
        <div className="flex flex-wrap items-center gap-3">
          <LiveJobStatus />
          <h2 className="text-xl font-semibold" data-testid="job-name">
            {job.name}
          </h2>
        </div>
        <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-700">
          <div className="flex items-center gap-1">
            <dt className="muted">Job</dt>
            <dd>#{job.id}</dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Stage</dt>
            <dd>{job.stage}</dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Pipeline</dt>
            <dd>
              <Link href={`${base}/-/pipelines/${job.pipeline.id}`} data-testid="job-pipeline-link">
                #{job.pipeline.iid}
              </Link>
            </dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">{job.pipeline.tag ? "Tag" : "Branch"}</dt>
            <dd className="code">{job.pipeline.ref}</dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Commit</dt>
            <dd className="code" title={job.pipeline.sha}>
              {shortSha(job.pipeline.sha)}
            </dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Duration</dt>
            <dd className="font-mono text-xs" data-testid="job-duration">
              {formatDuration(finished ? durationSeconds(job.startedAt, job.finishedAt) : null)}
            </dd>
          </div>
          {job.finishedAt && (
            <div className="flex items-center gap-1">
              <dt className="muted">Finished</dt>
              <dd>
                <time dateTime={job.finishedAt.toISOString()}>{isoTitle(job.finishedAt)}</time>
              </dd>
            </div>
          )}
          {job.allowFailure && (
            <div>
              <dd className="text-amber-700">allowed to fail</dd>
            </div>
          )}
        </dl>
        {job.status === "failed" && job.failureReason && (
          <p className="mt-2 text-sm text-red-700" data-testid="job-failure-reason">
            Failure reason: {job.failureReason.replace(/_/g, " ")}
            {job.exitCode !== null && ` (exit code ${job.exitCode})`}
          </p>
        )}
      </div>
      <LiveLog />
      <p className="mt-2 text-right text-xs">
        <a href={`/api/v4/projects/${project.id}/jobs/${job.id}/trace`}>View raw</a>
      </p>
    </JobStream>
  );
}
