import type { Metadata } from "next";
import { Link } from "../../../../../components/link";
import { notFound } from "next/navigation";
import { canManageProject, canPushCode, listSchedules } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../../components/action-button";
import { DataTable } from "../../../../../components/data-table";
import { StatusBadge } from "../../../../../components/status";
import { isoTitle } from "../../../../../lib/format";
import { loadProject, projectPath } from "../../../../../server/project";
import { Notice } from "../settings/notice";
import { deleteScheduleAction, playScheduleAction, toggleScheduleAction } from "./actions";

export const metadata: Metadata = { title: "Pipeline schedules" };
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** "in 5 minutes" / "in 2 hours" for a time ahead. */
function timeUntil(d: Date, now: Date): string {
  const s = Math.round((d.getTime() - now.getTime()) / 1000);
  if (s < 60) return s <= 0 ? "now" : "in less than a minute";
  const [n, unit] =
    s < 3600
      ? [Math.round(s / 60), "minute"]
      : s < 86400
        ? [Math.round(s / 3600), "hour"]
        : [Math.round(s / 86400), "day"];
  return `in ${n} ${unit}${n === 1 ? "" : "s"}`;
}

export default async function PipelineSchedulesPage({ params, searchParams }: Props) {
  const { namespace, project: path } = await params;
  const search = await searchParams;
  const { project, user, level } = await loadProject(namespace, path);
  if (!canPushCode(level)) notFound();
  const schedules = await listSchedules({ db: getDb(), actor: user, project });
  const base = projectPath(project);
  const now = new Date();
  const fields = { namespace: project.namespace, project: project.path };
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="page-title">Pipeline schedules</h1>
          <p className="muted mt-1 text-sm">
            Run pipelines on a cron schedule, with <span className="code">CI_PIPELINE_SOURCE=schedule</span>.
            Each pipeline runs as the schedule&apos;s owner.
          </p>
        </div>
        <Link href={`${base}/-/pipeline_schedules/new`} className="btn btn-primary">
          New schedule
        </Link>
      </div>
      <Notice search={search} />
      {schedules.length === 0 ? (
        <p className="card p-6 text-center text-sm" data-testid="schedules-empty">
          No pipeline schedules yet.
        </p>
      ) : (
        <DataTable
          columns={[
            "Description",
            "Target",
            "Last pipeline",
            "Next run",
            "Owner",
            { label: "Actions", hidden: true },
          ]}
          caption="Pipeline schedules"
          testId="schedules-table"
        >
          {schedules.map((s) => {
            const mine = canManageProject(level) || s.ownerId === user?.id;
            return (
              <tr key={s.id} data-testid={`schedule-${s.id}`}>
                <td className="px-4 py-2">
                  <div className="font-medium">{s.description}</div>
                  <div className="muted font-mono text-xs">
                    {s.cron} · {s.cronTimezone}
                  </div>
                  {s.lastError && (
                    <div className="mt-1 text-xs text-red-700" data-testid="schedule-error">
                      Last run failed: {s.lastError}
                    </div>
                  )}
                </td>
                <td className="px-4 py-2 font-mono">{s.ref}</td>
                <td className="px-4 py-2">
                  {s.lastPipeline ? (
                    <Link
                      href={`${base}/-/pipelines/${s.lastPipeline.id}`}
                      className="inline-flex items-center gap-2"
                    >
                      <StatusBadge status={s.lastPipeline.status} />#{s.lastPipeline.id}
                    </Link>
                  ) : (
                    <span className="muted">None</span>
                  )}
                </td>
                <td className="px-4 py-2" data-testid="schedule-next-run">
                  {s.active && s.nextRunAt ? (
                    <time dateTime={s.nextRunAt.toISOString()} title={isoTitle(s.nextRunAt)}>
                      {timeUntil(s.nextRunAt, now)}
                    </time>
                  ) : (
                    <span className="muted">Inactive</span>
                  )}
                </td>
                <td className="px-4 py-2">{s.owner?.username ?? <span className="muted">none</span>}</td>
                <td className="px-4 py-2 text-right whitespace-nowrap">
                  <ActionButton
                    action={playScheduleAction}
                    fields={{ ...fields, id: s.id }}
                    text="Run now"
                    label={`Run ${s.description} now`}
                    danger={false}
                    inline
                    small
                  />{" "}
                  {mine && (
                    <>
                      <ActionButton
                        action={toggleScheduleAction}
                        fields={{ ...fields, id: s.id }}
                        text={s.active ? "Deactivate" : "Activate"}
                        danger={false}
                        inline
                        small
                      />{" "}
                      <Link
                        href={`${base}/-/pipeline_schedules/${s.id}/edit`}
                        className="btn px-2 py-1"
                        aria-label={`Edit ${s.description}`}
                      >
                        Edit
                      </Link>{" "}
                      <ActionButton
                        action={deleteScheduleAction}
                        fields={{ ...fields, id: s.id }}
                        text="Delete"
                        label={`Delete ${s.description}`}
                        inline
                        small
                      />
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}
