import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { canPushCode } from "@minilab/core";
import { loadProject, projectPath } from "../../../../../../server/project";
import { refNames, timeZones } from "../form-data";
import { ScheduleForm } from "../schedule-form";

export const metadata: Metadata = { title: "New pipeline schedule" };

export default async function NewSchedulePage({
  params,
}: {
  params: Promise<{ namespace: string; project: string }>;
}) {
  const { namespace, project: path } = await params;
  const { project, user, level } = await loadProject(namespace, path);
  if (!canPushCode(level)) notFound();
  return (
    <div className="space-y-5">
      <h1 className="page-title">New pipeline schedule</h1>
      <ScheduleForm
        namespace={project.namespace}
        path={project.path}
        refs={await refNames(project, user)}
        timeZones={timeZones()}
        cancelHref={`${projectPath(project)}/-/pipeline_schedules`}
        values={{
          description: "",
          cron: "0 3 * * *",
          cronTimezone: "UTC",
          ref: project.defaultBranch,
          active: true,
          variables: [],
        }}
      />
    </div>
  );
}
