import type { Metadata } from "next";
import { notFound } from "next/navigation";
import {
  ACCESS_LEVELS,
  canReadRepository,
  durationSeconds,
  getPipelineMergedYaml,
  getPipelineNeeds,
  getPipelineWithJobs,
  pendingReasons,
  type JobView,
} from "@minilab/core";
import { getDb } from "@minilab/db";
import { ControlError, PipelineActions } from "../../../../../../components/job-controls";
import { LiveStatus } from "../../../../../../components/live-status";
import { PipelineConfig } from "../../../../../../components/pipeline-config";
import { PipelineGraph } from "../../../../../../components/pipeline-graph";
import { PipelineTabStatus } from "../../../../../../components/pipeline-tab-status";
import { ProjectEvents } from "../../../../../../components/project-events";
import { formatDuration, isoTitle, shortSha, timeAgo } from "../../../../../../lib/format";
import { readLiveVersion } from "../../../../../../server/live-version";
import { loadPipelinesProject, parseId, projectPath } from "../../../../../../server/project";

type Params = { params: Promise<{ namespace: string; project: string; id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Pipeline ${id}` };
}

export default async function PipelinePage({ params }: Params) {
  const { namespace, project: path, id } = await params;
  const { project, user, level } = await loadPipelinesProject(namespace, path);
  // Retry / cancel / play: developer+; delete: maintainer+ (the actions check again).
  const canControl = level >= ACCESS_LEVELS.developer;
  const pipelineId = parseId(id);
  if (pipelineId === null) notFound();
  const version = await readLiveVersion((v) => v.projectStatus(project.id));
  const pipeline = await getPipelineWithJobs({ db: getDb(), projectId: project.id, pipelineId });
  if (!pipeline) notFound();
  const base = projectPath(project);
  const pipelineUrl = `${base}/-/pipelines/${pipeline.id}`;
  const needs = await getPipelineNeeds({ db: getDb(), pipelineId: pipeline.id });
  const reasons = await pendingReasons({ db: getDb(), jobIds: pipeline.jobs.map((j) => j.id) });
  // The merged YAML is repository content: guests of a private project see statuses, not code.
  const mergedYaml = canReadRepository(user, project, level)
    ? await getPipelineMergedYaml({ db: getDb(), pipelineId: pipeline.id })
    : null;
  const stages = stageColumns(pipeline.stages, pipeline.jobs).map((s) => ({
    name: s.name,
    jobs: s.jobs.map((j) => ({
      id: j.id,
      name: j.name,
      status: j.status,
      href: `${base}/-/jobs/${j.id}`,
      duration: j.startedAt ? formatDuration(durationSeconds(j.startedAt, j.finishedAt)) : null,
      allowFailure: j.allowFailure,
      needs: needs.get(j.id) ?? null,
      ...withReason(reasons.get(j.id)?.message),
      ...(canControl
        ? { control: { namespace: project.namespace, path: project.path, id: j.id, back: pipelineUrl } }
        : {}),
    })),
  }));
  const duration = pipeline.finishedAt ? durationSeconds(pipeline.startedAt, pipeline.finishedAt) : null;
  return (
    <ProjectEvents
      url={`${base}/-/events.stream`}
      pipelineIds={[pipeline.id]}
      pendingFor={pipeline.id}
      version={version}
    >
      <PipelineTabStatus id={pipeline.id} initial={pipeline.status} title={`Pipeline #${pipeline.iid}`} />
      <div className="mb-5 border-b border-zinc-200 pb-4">
        <div className="flex flex-wrap items-center gap-3">
          <LiveStatus
            kind="pipeline"
            id={pipeline.id}
            initial={pipeline.status}
            warnings={pipeline.warnings}
            testId="pipeline-status"
          />
          <h2 className="text-xl font-semibold">{pipeline.commitTitle || `Pipeline #${pipeline.iid}`}</h2>
          {canControl && (
            <div className="ml-auto">
              <PipelineActions
                target={{
                  namespace: project.namespace,
                  path: project.path,
                  id: pipeline.id,
                  back: pipelineUrl,
                }}
                initial={pipeline.status}
                canDelete={level >= ACCESS_LEVELS.maintainer}
              />
            </div>
          )}
        </div>
        <ControlError />
        <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-700">
          <div>
            <dt className="sr-only">Pipeline</dt>
            <dd>
              Pipeline <span className="font-semibold">#{pipeline.iid}</span>{" "}
              <span className="muted">(id {pipeline.id})</span>
            </dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">{pipeline.tag ? "Tag" : "Branch"}</dt>
            <dd className="code">{pipeline.ref}</dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Commit</dt>
            <dd className="code" title={pipeline.sha} data-testid="pipeline-sha">
              {shortSha(pipeline.sha)}
            </dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Source</dt>
            <dd>{pipeline.source}</dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Created</dt>
            <dd>
              <time dateTime={pipeline.createdAt.toISOString()} title={isoTitle(pipeline.createdAt)}>
                {timeAgo(pipeline.createdAt)}
              </time>
            </dd>
          </div>
          <div className="flex items-center gap-1">
            <dt className="muted">Duration</dt>
            <dd className="font-mono text-xs">{formatDuration(duration)}</dd>
          </div>
        </dl>
      </div>

      {pipeline.yamlErrors && (
        <div
          role="alert"
          data-testid="yaml-errors"
          className="mb-6 rounded-md border border-red-300 bg-red-50 p-4 text-red-900"
        >
          <h3 className="font-semibold">
            This pipeline could not be created: the CI/CD configuration is invalid.
          </h3>
          <pre className="mt-2 font-mono text-sm whitespace-pre-wrap">{pipeline.yamlErrors}</pre>
        </div>
      )}

      {stages.length === 0 ? (
        !pipeline.yamlErrors && <p className="muted">This pipeline has no jobs.</p>
      ) : (
        <PipelineGraph stages={stages} />
      )}
      <PipelineConfig yaml={mergedYaml} />
    </ProjectEvents>
  );
}

/** Stages in YAML order; stages with no jobs are left out, as GitLab does. */
function stageColumns(order: string[], jobs: JobView[]): { name: string; jobs: JobView[] }[] {
  const byStage = new Map<string, JobView[]>();
  for (const j of jobs) {
    const list = byStage.get(j.stage) ?? [];
    list.push(j);
    byStage.set(j.stage, list);
  }
  const names = [
    ...order.filter((s) => byStage.has(s)),
    ...[...byStage.keys()].filter((s) => !order.includes(s)),
  ];
  return names.map((name) => ({ name, jobs: byStage.get(name) ?? [] }));
}

const withReason = (message: string | undefined): { pendingReason?: string } =>
  message ? { pendingReason: message } : {};
