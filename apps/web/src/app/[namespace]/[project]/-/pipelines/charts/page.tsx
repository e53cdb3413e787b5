import type { Metadata } from "next";
import { Link } from "../../../../../../components/link";
import { FINISHED_STATUSES, pipelineChartData } from "@minilab/core";
import { getDb } from "@minilab/db";
import { readLiveVersion } from "../../../../../../server/live-version";
import { loadPipelinesProject, projectPath } from "../../../../../../server/project";
import { LiveRefresh } from "../../../../../../components/live-refresh";
import { DurationChart, SuccessChart } from "./charts";

export const metadata: Metadata = { title: "CI/CD analytics" };

const RANGES = [7, 30, 90] as const;

export default async function PipelineChartsPage({
  params,
  searchParams,
}: {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, project: path } = await params;
  const { project } = await loadPipelinesProject(namespace, path);
  const version = await readLiveVersion((v) => v.projectStatus(project.id));
  const wanted = (await searchParams)["days"];
  const days = RANGES.find((d) => String(d) === wanted) ?? 30;
  const { pipelines, daily } = await pipelineChartData({ db: getDb(), projectId: project.id, days });
  const base = `${projectPath(project)}/-/pipelines`;
  const finished = pipelines.filter((p) => p.status === "success" || p.status === "failed");
  const passed = finished.filter((p) => p.status === "success").length;
  const rate = finished.length ? Math.round((passed / finished.length) * 100) : null;
  const durations = pipelines
    .filter((p) => p.duration !== null)
    .map((p) => ({
      label: `#${p.iid}`,
      minutes: Math.round(((p.duration ?? 0) / 60) * 100) / 100,
      status: p.status,
    }));
  return (
    <div className="space-y-6">
      {/* Pipelines reaching a final status (or stopping at a manual job): the charts count those only. */}
      <LiveRefresh
        url={`${projectPath(project)}/-/events.stream`}
        where={{ kind: ["pipeline"], status: [...FINISHED_STATUSES, "manual"] }}
        version={version}
      />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-xl font-semibold">CI/CD analytics</h2>
        <nav aria-label="Time range" className="flex gap-2 text-sm">
          {RANGES.map((d) => (
            <Link
              key={d}
              href={`${base}/charts?days=${d}`}
              className={d === days ? "btn btn-primary" : "btn"}
              aria-current={d === days ? "page" : undefined}
            >
              {d} days
            </Link>
          ))}
        </nav>
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3" data-testid="chart-stats">
        <div className="card p-4">
          <dt className="muted text-sm">Finished pipelines</dt>
          <dd className="text-2xl font-semibold" data-testid="chart-finished">
            {pipelines.length}
          </dd>
        </div>
        <div className="card p-4">
          <dt className="muted text-sm">Success rate</dt>
          <dd className="text-2xl font-semibold" data-testid="success-rate">
            {rate === null ? "—" : `${rate}%`}
          </dd>
        </div>
      </dl>
      {pipelines.length === 0 ? (
        <p className="card muted p-6 text-center">No finished pipelines in the last {days} days.</p>
      ) : (
        <>
          <section className="card p-4" aria-labelledby="durations-heading">
            <h3 id="durations-heading" className="mb-2 font-semibold">
              Pipeline durations
            </h3>
            <DurationChart data={durations} />
          </section>
          <section className="card p-4" aria-labelledby="success-heading">
            <h3 id="success-heading" className="mb-2 font-semibold">
              Pipelines per day
            </h3>
            <SuccessChart data={daily} />
          </section>
        </>
      )}
    </div>
  );
}
