import type { Metadata } from "next";
import { Link } from "../../../../../../components/link";
import { getApplicationSettings, listHooks } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../../../components/action-button";
import { loadProject, projectPath } from "../../../../../../server/project";
import { Notice } from "../notice";
import { deleteHookAction } from "./actions";
import { HookForm } from "./hook-form";
import { EventList, HookAlert } from "./hook-status";
import { TestEventForm } from "./test-event-form";

export const metadata: Metadata = { title: "Webhooks" };

type Props = {
  params: Promise<{ namespace: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** Settings → Webhooks: the project's hooks, a form for a new one. */
export default async function WebhooksPage({ params, searchParams }: Props) {
  const { namespace, project: path } = await params;
  const search = await searchParams;
  const { project, user } = await loadProject(namespace, path);
  const db = getDb();
  const [hooks, settings] = await Promise.all([
    listHooks({ db, actor: user, project }),
    getApplicationSettings(db),
  ]);
  const here = `${projectPath(project)}/-/settings/webhooks`;
  return (
    <>
      <h2 className="text-xl font-semibold">Webhooks</h2>
      <p className="muted text-sm">
        Webhooks send a POST with a JSON payload (GitLab&apos;s format) to a URL when something happens in
        this project. Failed deliveries are retried with backoff; a hook that keeps failing is disabled.
        {settings.allowLocalRequestsFromWebHooks
          ? " Local network targets are allowed on this instance."
          : " Targets on the local network (loopback, private and link-local addresses) are refused."}
      </p>
      <Notice search={search} />
      {hooks.length === 0 ? (
        <p className="card p-4 text-sm" data-testid="hooks-empty">
          No webhooks yet.
        </p>
      ) : (
        <ul className="card divide-y divide-zinc-200" data-testid="hooks-list">
          {hooks.map((h) => (
            <li key={h.id} className="space-y-2 p-4" data-testid={`hook-${h.id}`}>
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <Link href={`${here}/${h.id}`} className="font-mono text-sm break-all">
                    {h.url}
                  </Link>
                  <div className="muted text-xs">
                    <EventList hook={h} /> · SSL verification:{" "}
                    {h.enableSslVerification ? "enabled" : "disabled"}
                    {h.tokenSet && " · secret token set"}
                  </div>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <TestEventForm namespace={project.namespace} path={project.path} id={h.id} back="list" />
                  <Link href={`${here}/${h.id}`} className="btn px-2 py-1">
                    Edit
                  </Link>
                  <ActionButton
                    action={deleteHookAction}
                    fields={{ namespace: project.namespace, project: project.path, id: h.id }}
                    text="Delete"
                    label={`Delete webhook ${h.url}`}
                    small
                  />
                </div>
              </div>
              <HookAlert hook={h} />
            </li>
          ))}
        </ul>
      )}
      <h3 className="text-lg font-semibold">Add new webhook</h3>
      <HookForm
        namespace={project.namespace}
        path={project.path}
        values={{
          url: "",
          tokenSet: false,
          pushEvents: true,
          tagPushEvents: false,
          pipelineEvents: false,
          jobEvents: false,
          enableSslVerification: true,
        }}
      />
    </>
  );
}
