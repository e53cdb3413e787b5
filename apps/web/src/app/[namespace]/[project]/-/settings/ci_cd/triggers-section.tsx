import type { Project, User } from "@minilab/db";
import { coreConfig, listTriggers } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../../../components/action-button";
import { DataTable } from "../../../../../../components/data-table";
import { isoTitle, timeAgo } from "../../../../../../lib/format";
import { revokeTriggerAction } from "./trigger-actions";
import { TriggerForm } from "./trigger-form";

/** Settings → CI/CD → Pipeline trigger tokens: list, add, revoke, and how to call the trigger API. */
export async function TriggersSection({ project, user }: { project: Project; user: User | null }) {
  const triggers = await listTriggers({ db: getDb(), actor: user, project });
  const now = new Date();
  const api = `${coreConfig().externalUrl}/api/v4/projects/${project.id}`;
  return (
    <section id="triggers" aria-labelledby="triggers-heading" className="space-y-4">
      <h2 id="triggers-heading" className="text-xl font-semibold">
        Pipeline trigger tokens
      </h2>
      <p className="muted text-sm">
        Trigger a pipeline for a branch or tag with a token, from scripts or other systems&apos; webhooks. The
        pipeline runs as the token&apos;s owner with <span className="code">CI_PIPELINE_SOURCE=trigger</span>.
      </p>
      {triggers.length === 0 ? (
        <p className="card p-4 text-sm" data-testid="triggers-empty">
          No trigger tokens yet.
        </p>
      ) : (
        <DataTable
          columns={["Token", "Description", "Owner", "Last used", { label: "Actions", hidden: true }]}
          caption="Pipeline trigger tokens"
          testId="triggers-table"
        >
          {triggers.map((t) => (
            <tr key={t.id} data-testid={`trigger-${t.id}`}>
              <td className="px-4 py-2 font-mono">{t.tokenPrefix}…</td>
              <td className="px-4 py-2">{t.description || <span className="muted">—</span>}</td>
              <td className="px-4 py-2">
                {t.owner?.username ?? <span className="muted">deleted user</span>}
              </td>
              <td className="px-4 py-2">
                {t.lastUsedAt ? (
                  <time dateTime={t.lastUsedAt.toISOString()} title={isoTitle(t.lastUsedAt)}>
                    {timeAgo(t.lastUsedAt, now)}
                  </time>
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              <td className="px-4 py-2 text-right">
                <ActionButton
                  action={revokeTriggerAction}
                  fields={{ namespace: project.namespace, project: project.path, id: t.id }}
                  text="Revoke"
                  label={`Revoke ${t.tokenPrefix}`}
                  inline
                  small
                />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <TriggerForm namespace={project.namespace} path={project.path} />
      <details className="card p-4 text-sm">
        <summary className="cursor-pointer font-medium">How to trigger a pipeline</summary>
        <p className="mt-3">With cURL, passing variables:</p>
        <pre className="code mt-1 overflow-x-auto p-2 text-xs whitespace-pre">{`curl -X POST --fail -F token=TOKEN -F ref=${project.defaultBranch} \\
     -F "variables[DEPLOY_ENV]=staging" \\
     ${api}/trigger/pipeline`}</pre>
        <p className="mt-3">
          From another system&apos;s webhook (its request body reaches jobs as the file variable{" "}
          <span className="code">TRIGGER_PAYLOAD</span>):
        </p>
        <pre className="code mt-1 overflow-x-auto p-2 text-xs whitespace-pre">{`${api}/ref/${project.defaultBranch}/trigger/pipeline?token=TOKEN`}</pre>
      </details>
    </section>
  );
}
