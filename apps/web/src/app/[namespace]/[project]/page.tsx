import type { Metadata } from "next";
import { Link } from "../../../components/link";
import { canPushCode, canReadPipelines, countProjectRefs, latestPipeline } from "@minilab/core";
import { getDb } from "@minilab/db";
import { CopyField } from "../../../components/copy-field";
import { loadOverviewTree } from "../../../components/repo/overview";
import { TreeView } from "../../../components/repo/tree-view";
import { LiveStatus } from "../../../components/live-status";
import { ProjectEvents } from "../../../components/project-events";
import { env } from "../../../env";
import { shortSha, timeAgo } from "../../../lib/format";
import { readLiveVersion } from "../../../server/live-version";
import { loadProject, projectPath } from "../../../server/project";

type Params = { params: Promise<{ namespace: string; project: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { namespace, project } = await params;
  const ctx = await loadProject(namespace, project);
  return { title: `${ctx.project.namespace} / ${ctx.project.name}` };
}

export default async function ProjectPage({ params }: Params) {
  const { namespace, project: path } = await params;
  const { project, level, user } = await loadProject(namespace, path);
  const base = projectPath(project);
  const cloneUrl = `${env().externalUrl}${base}.git`;
  // Before the pipeline is read: the live stream tells from it whether the page missed an event.
  const version = await readLiveVersion((v) => v.projectStatus(project.id));
  const pipeline = canReadPipelines(user, project, level)
    ? await latestPipeline({ db: getDb(), projectId: project.id })
    : null;
  const canPush = canPushCode(level);
  const tree = await loadOverviewTree({ db: getDb(), user, project });
  // Only for those who may read the code (loadOverviewTree is null for guests of a private project).
  const refs = tree ? await countProjectRefs({ db: getDb(), user, project }) : null;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-6">
        {project.description && <p className="text-zinc-700">{project.description}</p>}
        {/* Live: the badge follows status events; a new or finished pipeline refreshes the page. */}
        <ProjectEvents
          url={`${base}/-/events.stream`}
          pipelineIds={pipeline ? [pipeline.id] : []}
          refreshOnNewPipeline
          version={version}
        >
          <section className="card p-4" aria-labelledby="latest-pipeline-heading">
            <h2 id="latest-pipeline-heading" className="mb-2 text-sm font-semibold text-zinc-700">
              Latest pipeline
            </h2>
            {pipeline ? (
              <div className="flex flex-wrap items-center gap-3 text-sm">
                <Link href={`${base}/-/pipelines/${pipeline.id}`} aria-label={`Pipeline #${pipeline.iid}`}>
                  <LiveStatus
                    kind="pipeline"
                    id={pipeline.id}
                    initial={pipeline.status}
                    testId="pipeline-status"
                  />
                </Link>
                <Link href={`${base}/-/pipelines/${pipeline.id}`}>#{pipeline.iid}</Link>
                <span className="font-medium">{pipeline.commitTitle || "(no commit title)"}</span>
                <span className="code">{pipeline.ref}</span>
                <span className="code">{shortSha(pipeline.sha)}</span>
                <time className="muted" dateTime={pipeline.createdAt.toISOString()}>
                  {timeAgo(pipeline.createdAt)}
                </time>
                <Link href={`${base}/-/pipelines`} className="ml-auto">
                  All pipelines →
                </Link>
              </div>
            ) : (
              <p className="text-sm text-zinc-600">
                No pipelines yet. Push a commit with a <span className="code">.gitlab-ci.yml</span> to run
                one. <Link href={`${base}/-/pipelines`}>Pipelines</Link>
              </p>
            )}
          </section>
        </ProjectEvents>
        {tree && (
          <TreeView
            ctx={{ db: getDb(), user, project }}
            base={base}
            refName={project.defaultBranch}
            path=""
            data={tree.data}
          />
        )}
        {canPush && !tree && (
          <section className="card space-y-5 p-5" aria-labelledby="push-heading">
            <h2 id="push-heading" className="text-lg font-semibold">
              Command line instructions
            </h2>
            <Commands
              title="Push an existing Git repository"
              lines={["cd existing_repo", `git remote add origin ${cloneUrl}`, "git push -u origin main"]}
              testId="push-existing"
            />
            <Commands
              title="Create a new repository"
              lines={[
                `git clone ${cloneUrl}`,
                `cd ${project.path}`,
                "git switch --create main",
                "touch README.md",
                "git add README.md",
                'git commit -m "add README"',
                "git push --set-upstream origin main",
              ]}
            />
            <p className="text-sm text-zinc-600">
              Git asks for your username and password, or use a{" "}
              <Link href="/-/user_settings/personal_access_tokens">personal access token</Link> as the
              password.
            </p>
          </section>
        )}
      </div>
      <aside className="space-y-4">
        <div className="card space-y-3 p-4">
          <CopyField label="Clone with HTTP" value={cloneUrl} testId="clone-url" />
        </div>
        <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 p-4 text-sm">
          <dt className="muted">Project ID</dt>
          <dd data-testid="project-id">{project.id}</dd>
          <dt className="muted">Default branch</dt>
          <dd>
            <span className="code">{project.defaultBranch}</span>
          </dd>
          {refs && (
            <>
              <dt className="muted">Branches</dt>
              <dd>
                <Link href={`${base}/-/branches`} data-testid="branches-count">
                  {refs.branches}
                </Link>
              </dd>
              <dt className="muted">Tags</dt>
              <dd>
                <Link href={`${base}/-/tags`} data-testid="tags-count">
                  {refs.tags}
                </Link>
              </dd>
            </>
          )}
        </dl>
      </aside>
    </div>
  );
}

function Commands({ title, lines, testId }: { title: string; lines: string[]; testId?: string }) {
  return (
    <div>
      <h3 className="mb-1.5 text-sm font-semibold">{title}</h3>
      <pre
        data-testid={testId}
        className="overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-[13px] leading-relaxed text-zinc-100"
      >
        {lines.join("\n")}
      </pre>
    </div>
  );
}
