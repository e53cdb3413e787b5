import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { canPushCode, getSchedule, isAppError } from "@minilab/core";
import { getDb } from "@minilab/db";
import { loadProject, parseId, projectPath } from "../../../../../../../server/project";
import { refNames, timeZones } from "../../form-data";
import { ScheduleForm } from "../../schedule-form";

export const metadata: Metadata = { title: "Edit pipeline schedule" };

export default async function EditSchedulePage({
  params,
}: {
  params: Promise<{ namespace: string; project: string; id: string }>;
}) {
  const { namespace, project: path, id } = await params;
  const { project, user, level } = await loadProject(namespace, path);
  const scheduleId = parseId(id);
  if (!canPushCode(level) || scheduleId === null) notFound();
  const s = await getSchedule({ db: getDb(), actor: user, project, id: scheduleId }).catch((e: unknown) => {
    if (isAppError(e)) notFound();
    throw e;
  });
  return (
    <div className="space-y-5">
      <h1 className="page-title">Edit pipeline schedule</h1>
      <ScheduleForm
        namespace={project.namespace}
        path={project.path}
        refs={await refNames(project, user)}
        timeZones={timeZones()}
        cancelHref={`${projectPath(project)}/-/pipeline_schedules`}
        values={{
          id: s.id,
          description: s.description,
          cron: s.cron,
          cronTimezone: s.cronTimezone,
          ref: s.ref,
          active: s.active,
          variables: Object.entries((s.variables ?? {}) as Record<string, string>).map(([key, value]) => ({
            key,
            value: String(value),
          })),
        }}
      />
    </div>
  );
}
