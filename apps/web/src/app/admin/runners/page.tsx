import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listRunners } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../components/action-button";
import { DataTable } from "../../../components/data-table";
import { LiveRefresh } from "../../../components/live-refresh";
import { isoTitle, timeAgo } from "../../../lib/format";
import { readLiveVersion } from "../../../server/live-version";
import { requireUser } from "../../../server/session";
import { deleteRunnerAction } from "./actions";
import { RunnerForm } from "./runner-form";
import { RunnerTimeoutForm } from "./runner-timeout-form";

export const metadata: Metadata = { title: "Runners · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminRunnersPage() {
  const user = await requireUser("/admin/runners");
  if (!user.isAdmin) notFound();
  const version = await readLiveVersion((v) => v.runnerPresence);
  const now = new Date();
  const runners = await listRunners({ db: getDb(), now });
  return (
    <div className="space-y-8">
      {/* Runners going offline or coming back online (events.stream next to this page). */}
      <LiveRefresh url="/admin/runners/events.stream" event="presence" version={version} />
      <div>
        <h1 className="page-title">Runners</h1>
        <p className="muted mt-1 max-w-2xl">
          Runners take jobs from the queue and run them. A runner is online while it has contacted the server
          in the last two minutes (it sends a heartbeat every 30 seconds); the status changes here as it
          happens. A maximum job timeout (seconds, at least 600) caps the timeout of every job the runner
          takes.
        </p>
      </div>
      <section className="card p-6" aria-labelledby="new-runner-heading">
        <h2 id="new-runner-heading" className="mb-4 text-lg font-semibold">
          New instance runner
        </h2>
        <RunnerForm />
      </section>
      <section aria-labelledby="runners-heading">
        <h2 id="runners-heading" className="mb-3 text-lg font-semibold">
          Runners ({runners.length})
        </h2>
        {runners.length === 0 ? (
          <p className="muted card px-4 py-6 text-center">No runners yet.</p>
        ) : (
          <DataTable
            columns={[
              "Status",
              "Runner",
              "Tags",
              "Version",
              "Executor",
              "Last contact",
              "Max job timeout (s)",
              { label: "Actions", hidden: true },
            ]}
            caption="Runners"
            testId="runner-table"
          >
            {runners.map((r) => (
              <tr key={r.id} data-testid="runner-row">
                <td className="px-4 py-3 whitespace-nowrap">
                  <span
                    className={r.online ? "font-medium text-green-700" : "text-zinc-500"}
                    data-testid="runner-status"
                  >
                    {r.online ? "● online" : "○ offline"}
                  </span>
                  {!r.active && <span className="ml-2 text-amber-700">paused</span>}
                </td>
                <td className="px-4 py-3">
                  <span className="font-medium">#{r.id}</span> {r.description || <em>no description</em>}
                </td>
                <td className="px-4 py-3 font-mono text-xs">
                  {r.tags.join(", ") || "—"}
                  {r.runUntagged && <span className="muted ml-1">(+ untagged)</span>}
                </td>
                <td className="px-4 py-3">{r.version ?? "—"}</td>
                <td className="px-4 py-3">{r.executor ?? "—"}</td>
                <td
                  className="px-4 py-3 whitespace-nowrap"
                  title={r.contactedAt ? isoTitle(r.contactedAt) : undefined}
                >
                  {r.contactedAt ? timeAgo(r.contactedAt, now) : "Never"}
                </td>
                <td className="px-4 py-3">
                  <RunnerTimeoutForm id={r.id} value={r.maximumTimeout} />
                </td>
                <td className="px-4 py-3 text-right">
                  <ActionButton
                    action={deleteRunnerAction.bind(null, r.id)}
                    text="Delete"
                    label={`Delete runner ${r.id}`}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
