import type { Project, User } from "@minilab/db";
import { coreConfig, listTriggers } from "@minilab/core";
import { getDb } from "@minilab/db";
import { isoTitle, timeAgo } from "../../../../../../lib/format";
import { ProjectFields } from "../notice";
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
        <div className="card overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="triggers-table">
            <caption className="sr-only">Pipeline trigger tokens</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2">
                  Token
                </th>
                <th scope="col" className="px-4 py-2">
                  Description
                </th>
                <th scope="col" className="px-4 py-2">
                  Owner
                </th>
                <th scope="col" className="px-4 py-2">
                  Last used
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200">
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
                    <form action={revokeTriggerAction} className="inline">
                      <ProjectFields namespace={project.namespace} path={project.path} />
                      <input type="hidden" name="id" value={t.id} />
                      <button
                        type="submit"
                        className="btn btn-danger px-2 py-1"
                        aria-label={`Revoke ${t.tokenPrefix}`}
                      >
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
