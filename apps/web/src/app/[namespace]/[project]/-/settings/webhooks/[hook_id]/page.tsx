import type { Metadata } from "next";
import { Link } from "../../../../../../../components/link";
import { notFound } from "next/navigation";
import { getHook, isAppError, listHookDeliveries } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../../../../components/action-button";
import { isoTitle } from "../../../../../../../lib/format";
import { loadProject, parseId, projectPath } from "../../../../../../../server/project";
import { Notice } from "../../notice";
import { enableHookAction, redeliverHookAction } from "../actions";
import { HookForm } from "../hook-form";
import { HookAlert } from "../hook-status";
import { TestEventForm } from "../test-event-form";

export const metadata: Metadata = { title: "Edit webhook" };

type Props = {
  params: Promise<{ namespace: string; project: string; hook_id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

interface Attempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

const pretty = (body: string): string => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};

/** One webhook: its settings, test events, and the delivery log with Redeliver. */
export default async function HookPage({ params, searchParams }: Props) {
  const { namespace, project: path, hook_id } = await params;
  const search = await searchParams;
  const { project, user } = await loadProject(namespace, path);
  const id = parseId(hook_id);
  if (id === null) notFound();
  const db = getDb();
  const hook = await getHook({ db, actor: user, project, id }).catch((e: unknown) => {
    if (isAppError(e)) notFound();
    throw e;
  });
  const deliveries = await listHookDeliveries({ db, actor: user, project, id });
  const fields = { namespace: project.namespace, project: project.path };
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-xl font-semibold">Edit webhook</h2>
        <Link href={`${projectPath(project)}/-/settings/webhooks`} className="text-sm">
          ← All webhooks
        </Link>
      </div>
      <Notice search={search} />
      <HookAlert hook={hook} />
      {hook.alertStatus !== "executable" && (
        <ActionButton
          action={enableHookAction}
          fields={{ ...fields, id: hook.id }}
          text="Enable webhook"
          danger={false}
        />
      )}
      <HookForm
        key={hook.updatedAt.toISOString()}
        namespace={project.namespace}
        path={project.path}
        values={hook}
      />
      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h3 id="deliveries-heading" className="text-lg font-semibold">
            Recent events
          </h3>
          <TestEventForm namespace={project.namespace} path={project.path} id={hook.id} back="hook" />
        </div>
        {deliveries.length === 0 ? (
          <p className="card p-4 text-sm" data-testid="deliveries-empty">
            No deliveries yet.
          </p>
        ) : (
          <ul className="card divide-y divide-zinc-200" data-testid="deliveries">
            {deliveries.map((d) => {
              const attempts = (Array.isArray(d.attemptLog) ? d.attemptLog : []) as unknown as Attempt[];
              const ok = d.status === "delivered";
              return (
                <li key={d.id} className="p-4 text-sm" data-testid={`delivery-${d.id}`}>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <span
                        className={`rounded border px-2 py-0.5 text-xs font-semibold ${ok ? "border-green-300 bg-green-50 text-green-800" : d.status === "pending" ? "border-amber-300 bg-amber-50 text-amber-800" : "border-red-300 bg-red-50 text-red-800"}`}
                        data-testid="delivery-status"
                      >
                        {d.responseStatus ?? (d.status === "pending" ? "pending" : "error")}
                      </span>
                      <span className="font-medium">{d.event}</span>
                      {d.test && <span className="code text-xs">test</span>}
                      <span className="muted text-xs" data-testid="delivery-attempts">
                        {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                        {d.durationMs !== null && ` · ${(d.durationMs / 1000).toFixed(2)} s`}
                      </span>
                      <time
                        className="muted text-xs"
                        dateTime={d.createdAt.toISOString()}
                        title={isoTitle(d.createdAt)}
                      >
                        {isoTitle(d.createdAt)}
                      </time>
                    </div>
                    <ActionButton
                      action={redeliverHookAction}
                      fields={{ ...fields, id: hook.id, delivery: d.id }}
                      text="Redeliver"
                      danger={false}
                      small
                    />
                  </div>
                  {d.error && <p className="mt-1 text-xs text-red-700">{d.error}</p>}
                  <details className="mt-2">
                    <summary className="cursor-pointer text-xs">Request and response</summary>
                    <div className="mt-2 grid gap-3 lg:grid-cols-2">
                      <div>
                        <h4 className="text-xs font-semibold uppercase">Request headers</h4>
                        <pre className="code overflow-x-auto p-2 text-xs">
                          {Object.entries((d.requestHeaders ?? {}) as Record<string, string>)
                            .map(([k, v]) => `${k}: ${v}`)
                            .join("\n")}
                        </pre>
                        <h4 className="mt-2 text-xs font-semibold uppercase">Request body</h4>
                        <pre className="code max-h-80 overflow-auto p-2 text-xs">{pretty(d.requestBody)}</pre>
                      </div>
                      <div>
                        <h4 className="text-xs font-semibold uppercase">Attempts</h4>
                        <ol className="list-decimal pl-5 text-xs">
                          {attempts.map((a, i) => (
                            <li key={i}>
                              {a.at}: {a.status ?? "no response"}
                              {a.error ? ` (${a.error})` : ""} in {a.durationMs} ms
                            </li>
                          ))}
                        </ol>
                        <h4 className="mt-2 text-xs font-semibold uppercase">Response body</h4>
                        <pre className="code max-h-80 overflow-auto p-2 text-xs">{d.responseBody ?? ""}</pre>
                      </div>
                    </div>
                  </details>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
