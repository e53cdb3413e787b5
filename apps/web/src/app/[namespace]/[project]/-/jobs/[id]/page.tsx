import type { Metadata } from "next";
import { notFound } from "next/navigation";
import {
  ACCESS_LEVELS,
  canReadBuilds,
  findJobArtifacts,
  getJob,
  getJobRunner,
  isFinishedStatus,
  pendingReason,
  readJobLogWindow,
} from "@minilab/core";
import { getDb } from "@minilab/db";
import { JobStream } from "../../../../../../components/job-log/job-stream";
import { JobTabStatus, LiveJobStatus } from "../../../../../../components/job-log/job-live";
import { JobSidebar } from "../../../../../../components/job-log/job-sidebar";
import { JobPendingReason } from "../../../../../../components/job-log/job-pending-reason";
import { ControlError, LiveJobActions } from "../../../../../../components/job-controls";
import { LogViewer } from "../../../../../../components/job-log/log-viewer";
import { JobArtifactsPanel } from "../../../../../../components/job-artifacts";
import { formatBytes } from "../../../../../../server/job-artifacts-page";
import { completeUtf8Length } from "../../../../../../lib/utf8";
import { lastLines, PINNED_ROWS } from "../../../../../../lib/log-tail-window";
import { loadProject, parseId, projectPath } from "../../../../../../server/project";

type Params = { params: Promise<{ namespace: string; project: string; id: string }> };

/**
 * The page opens on this much of the log's end (its last rows in the HTML, the rest fetched once the
 * page runs); earlier parts load on demand.
 */
const TAIL_BYTES = 64 * 1024;

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id}` };
}

export default async function JobPage({ params }: Params) {
  const { namespace, project: path, id } = await params;
  const { project, user, level } = await loadProject(namespace, path);
  const jobId = parseId(id);
  // Job logs can hold secrets: guests of a private project see pipelines but not jobs.
  if (jobId === null || !canReadBuilds(user, project, level)) notFound();
  const db = getDb();
  const job = await getJob({ db, projectId: project.id, jobId });
  if (!job) notFound();
  // Render the stored tail now; the live stream continues from this exact byte offset.
  const [win, runner, waiting, artifacts] = await Promise.all([
    readJobLogWindow({ db, jobId, end: job.logSize, limit: TAIL_BYTES }),
    getJobRunner({ db, jobId }),
    pendingReason({ db, jobId }),
    findJobArtifacts({ db, projectId: project.id, jobId }),
  ]);
  const cut = completeUtf8Length(win.bytes);
  const tail = lastLines(win.bytes.subarray(0, cut), PINNED_ROWS);
  const initialLog = new TextDecoder().decode(win.bytes.subarray(tail.start, cut));
  const base = projectPath(project);
  const jobUrl = `${base}/-/jobs/${job.id}`;
  // Retry / cancel / play: developer+ (the actions check again, with protected-branch rules).
  const canControl = level >= ACCESS_LEVELS.developer;
  return (
    <JobStream
      streamUrl={`${jobUrl}/trace.stream`}
      rawUrl={`${jobUrl}/raw`}
      initialStatus={job.status}
      initialLog={initialLog}
      initialStart={win.start + tail.start}
      initialFirstLine={win.firstLine + tail.linesBefore}
      initialOffset={win.start + cut}
      initialFill={tail.start > 0 ? { start: win.start, firstLine: win.firstLine } : null}
      live={!isFinishedStatus(job.status)}
    >
      <JobTabStatus title={`${job.name} (#${job.id})`} />
      <div className="mb-4 flex flex-wrap items-center gap-3 border-b border-zinc-200 pb-3">
        <LiveJobStatus />
        <h2 className="text-xl font-semibold" data-testid="job-name">
          {job.name}
        </h2>
        <span className="muted text-sm">#{job.id}</span>
      </div>
      <JobPendingReason eventsUrl={`${base}/-/events.stream`} jobId={job.id} initial={waiting?.message} />
      {job.retried && (
        <p className="mb-3 text-sm text-zinc-600" data-testid="job-retried">
          This job was retried: a newer attempt is in the pipeline.
        </p>
      )}
      {job.status === "failed" && job.failureReason && (
        <p className="mb-3 text-sm text-red-700" data-testid="job-failure-reason">
          Failure reason: {job.failureReason.replace(/_/g, " ")}
          {job.exitCode !== null && ` (exit code ${job.exitCode})`}
        </p>
      )}
      <ControlError />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_17rem]">
        <LogViewer />
        <div className="flex flex-col gap-4">
          <JobSidebar
            job={job}
            runner={runner}
            base={base}
            actions={
              canControl ? (
                <LiveJobActions
                  target={{ namespace: project.namespace, path: project.path, id: job.id, back: jobUrl }}
                  retried={job.retried}
                />
              ) : undefined
            }
          />
          {artifacts.archive && (
            <JobArtifactsPanel
              jobUrl={jobUrl}
              size={formatBytes(artifacts.archive.size)}
              files={artifacts.archive.entries.length}
              expireAt={artifacts.archive.expireAt}
            />
          )}
        </div>
      </div>
    </JobStream>
  );
}
