import type { Metadata } from "next";
import { Link } from "../../../../../components/link";
import { redirect } from "next/navigation";
import { canPushCode, durationSeconds, listPipelines, usernamesByIds } from "@minilab/core";
import { getDb } from "@minilab/db";
import { DataTable } from "../../../../../components/data-table";
import { LiveStatus } from "../../../../../components/live-status";
import { Pagination } from "../../../../../components/pagination";
import { ProjectEvents } from "../../../../../components/project-events";
import { formatDuration, isoTitle, shortSha, timeAgo } from "../../../../../lib/format";
import { readLiveVersion } from "../../../../../server/live-version";
import { loadPipelinesProject, projectPath } from "../../../../../server/project";
import { filterParams, PipelineFilters, readFilters } from "./filters";

export const metadata: Metadata = { title: "Pipelines" };

const PER_PAGE = 20;

export default async function PipelinesPage({
  params,
  searchParams,
}: {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, project: path } = await params;
  const { project, level } = await loadPipelinesProject(namespace, path);
  const version = await readLiveVersion((v) => v.projectStatus(project.id));
  const query = await searchParams;
  const filters = readFilters(query);
  const rawPage = query["page"];
  const page = typeof rawPage === "string" && /^\d{1,6}$/.test(rawPage) ? Math.max(1, Number(rawPage)) : 1;
  const { items, total } = await listPipelines({
    db: getDb(),
    projectId: project.id,
    page,
    perPage: PER_PAGE,
    ...filters,
  });
  const filtered = Object.keys(filterParams(filters)).length > 0;
  const base = projectPath(project);
  const lastPage = Math.max(1, Math.ceil(total / PER_PAGE));
  // A page past the end (the list shrank, or a hand-edited URL) shows the last page instead.
  if (page > lastPage && total > 0)
    redirect(
      `${base}/-/pipelines?${new URLSearchParams({ ...filterParams(filters), page: String(lastPage) })}`,
    );
  const usernames = await usernamesByIds({ db: getDb(), ids: items.map((p) => p.userId) });
  const now = new Date();
  return (
    <ProjectEvents
      url={`${base}/-/events.stream`}
      pipelineIds={items.map((p) => p.id)}
      refreshOnNewPipeline={page === 1 && !filtered}
      version={version}
    >
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-xl font-semibold">Pipelines</h2>
        <div className="flex flex-wrap items-center gap-3">
          <span className="muted text-sm" data-testid="pipelines-total">
            {total} total
          </span>
          <Link href={`${base}/-/pipelines/charts`} className="btn">
            CI/CD analytics
          </Link>
          {canPushCode(level) && (
            <Link href={`${base}/-/ci/lint`} className="btn" data-testid="ci-lint-link">
              CI lint
            </Link>
          )}
          {canPushCode(level) && (
            <Link
              href={`${base}/-/pipelines/new`}
              className="btn btn-primary"
              data-testid="run-pipeline-link"
            >
              Run pipeline
            </Link>
          )}
        </div>
      </div>
      <PipelineFilters action={`${base}/-/pipelines`} filters={filters} />
      {items.length === 0 && filtered ? (
        <p className="card px-6 py-8 text-center" data-testid="pipelines-none-match">
          No pipelines match these filters.
        </p>
      ) : items.length === 0 ? (
        <div className="card px-6 py-12 text-center" data-testid="pipelines-empty">
          <h3 className="text-lg font-semibold">No pipelines yet</h3>
          <p className="muted mt-1">
            Push a commit with a <span className="code">.gitlab-ci.yml</span> file at the repository root to
            run your first pipeline.
          </p>
        </div>
      ) : (
        <DataTable
          columns={["Status", "Pipeline", "Commit", "Duration", "Created"]}
          caption="Pipelines"
          testId="pipelines-table"
        >
          {items.map((p) => {
            const href = `${base}/-/pipelines/${p.id}`;
            return (
              <tr key={p.id} data-testid="pipeline-row" data-pipeline-id={p.id} className="align-top">
                <td className="px-4 py-3">
                  <Link href={href} aria-label={`Pipeline #${p.iid} details`}>
                    <LiveStatus kind="pipeline" id={p.id} initial={p.status} testId="pipeline-status" />
                  </Link>
                </td>
                <td className="px-4 py-3">
                  <Link href={href} className="font-medium">
                    #{p.iid}
                  </Link>
                  <div className="muted text-xs">
                    id {p.id} · {p.source}
                    {p.userId !== null && usernames.has(p.userId) && (
                      <>
                        {" · by "}
                        <Link
                          href={`${base}/-/pipelines?${new URLSearchParams({ username: usernames.get(p.userId) ?? "" })}`}
                          data-testid="pipeline-user"
                          className="underline"
                        >
                          {usernames.get(p.userId)}
                        </Link>
                      </>
                    )}
                  </div>
                </td>
                <td className="max-w-md px-4 py-3">
                  <div className="truncate font-medium text-zinc-900">
                    {p.commitTitle || "(no commit title)"}
                  </div>
                  <div className="mt-1 flex flex-wrap items-center gap-2 text-xs">
                    <span className="code" title={p.tag ? "tag" : "branch"}>
                      {p.ref}
                    </span>
                    <span className="code" data-testid="pipeline-sha">
                      {shortSha(p.sha)}
                    </span>
                  </div>
                </td>
                <td className="px-4 py-3 font-mono text-xs whitespace-nowrap text-zinc-700">
                  {formatDuration(p.finishedAt ? durationSeconds(p.startedAt, p.finishedAt) : null)}
                </td>
                <td className="px-4 py-3 whitespace-nowrap text-zinc-600">
                  <time dateTime={p.createdAt.toISOString()} title={isoTitle(p.createdAt)}>
                    {timeAgo(p.createdAt, now)}
                  </time>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <Pagination
        base={`${base}/-/pipelines`}
        page={page}
        totalPages={lastPage}
        params={filterParams(filters)}
      />
    </ProjectEvents>
  );
}
