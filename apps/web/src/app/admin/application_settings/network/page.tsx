import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getApplicationSettings } from "@minilab/core";
import { getDb } from "@minilab/db";
import { requireUser } from "../../../../server/session";
import { Notice } from "../../../[namespace]/[project]/-/settings/notice";
import { saveNetworkSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Network · Settings · Admin" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Admin → Settings → Network: outbound requests (GitLab's page of the same name). */
export default async function NetworkSettingsPage({ searchParams }: Props) {
  const user = await requireUser("/admin/application_settings/network");
  if (!user.isAdmin) notFound();
  const settings = await getApplicationSettings(getDb());
  const search = await searchParams;
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="page-title">Network</h1>
        <p className="muted mt-1">Outbound requests: what webhooks may reach.</p>
      </div>
      <Notice search={search} />
      <form action={saveNetworkSettingsAction} className="card space-y-4 p-6">
        <h2 className="text-lg font-semibold">Outbound requests</h2>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="allow_local_requests_from_web_hooks"
            defaultChecked={settings.allowLocalRequestsFromWebHooks}
            className="mt-1 accent-brand-600"
          />
          <span>
            <span className="font-semibold">Allow requests to the local network from webhooks</span>
            <span className="block text-zinc-600">
              When off, webhook URLs that resolve to loopback (127.0.0.0/8, ::1), private (10.0.0.0/8,
              172.16.0.0/12, 192.168.0.0/16, fc00::/7), shared (100.64.0.0/10) or link-local addresses
              (169.254.0.0/16 with the cloud metadata service, fe80::/10) are refused, when saved and again at
              every delivery.
            </span>
          </span>
        </label>
        <button type="submit" className="btn btn-primary">
          Save changes
        </button>
      </form>
    </div>
  );
}
