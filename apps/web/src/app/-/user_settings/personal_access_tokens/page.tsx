import type { Metadata } from "next";
import { listPersonalAccessTokens } from "@minilab/core";
import { getDb } from "@minilab/db";
import { ActionButton } from "../../../../components/action-button";
import { DataTable } from "../../../../components/data-table";
import { isoTitle } from "../../../../lib/format";
import { requireUser } from "../../../../server/session";
import { revokeTokenAction } from "./actions";
import { TokenForm } from "./token-form";

export const metadata: Metadata = { title: "Personal access tokens" };

const day = (d: Date) => d.toISOString().slice(0, 10);

export default async function PersonalAccessTokensPage() {
  const user = await requireUser("/-/user_settings/personal_access_tokens");
  const tokens = await listPersonalAccessTokens({ db: getDb(), userId: user.id });
  const now = new Date();
  const active = tokens.filter((t) => !t.revokedAt && !(t.expiresAt && t.expiresAt <= now));
  const tomorrow = new Date(now.getTime() + 86_400_000);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="page-title">Personal access tokens</h1>
        <p className="muted mt-1 max-w-2xl">
          Use a token to authenticate with the API (<span className="code">PRIVATE-TOKEN</span> header) or as
          the password for git over HTTP.
        </p>
      </div>
      <section className="card p-6" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading" className="mb-4 text-lg font-semibold">
          Add a personal access token
        </h2>
        <TokenForm minDate={day(tomorrow)} />
      </section>
      <section aria-labelledby="active-tokens-heading">
        <h2 id="active-tokens-heading" className="mb-3 text-lg font-semibold">
          Active personal access tokens ({active.length})
        </h2>
        {active.length === 0 ? (
          <p className="muted card px-4 py-6 text-center">This user has no active personal access tokens.</p>
        ) : (
          <DataTable
            columns={[
              "Token name",
              "Scopes",
              "Created",
              "Last used",
              "Expires",
              { label: "Actions", hidden: true },
            ]}
            caption="Active personal access tokens"
            testId="token-table"
          >
            {active.map((t) => (
              <tr key={t.id} data-testid="token-row">
                <td className="px-4 py-3 font-medium">{t.name}</td>
                <td className="px-4 py-3 font-mono text-xs">{t.scopes.join(", ")}</td>
                <td className="px-4 py-3 whitespace-nowrap" title={isoTitle(t.createdAt)}>
                  {day(t.createdAt)}
                </td>
                <td className="px-4 py-3 whitespace-nowrap">{t.lastUsedAt ? day(t.lastUsedAt) : "Never"}</td>
                <td className="px-4 py-3 whitespace-nowrap">{t.expiresAt ? day(t.expiresAt) : "Never"}</td>
                <td className="px-4 py-3 text-right">
                  <ActionButton
                    action={revokeTokenAction.bind(null, t.id)}
                    text="Revoke"
                    label={`Revoke token ${t.name}`}
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
