"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { isAppError, updateApplicationSettings } from "@minilab/core";
import { getDb } from "@minilab/db";
import { requireUser } from "../../../../server/session";

const PAGE = "/admin/application_settings/network";

/** Saves the outbound-request setting (core checks the caller is an admin). */
export async function saveNetworkSettingsAction(form: FormData): Promise<void> {
  const actor = await requireUser(PAGE);
  let target = `${PAGE}?notice=${encodeURIComponent("Settings saved.")}`;
  try {
    await updateApplicationSettings({
      db: getDb(),
      actor,
      allowLocalRequestsFromWebHooks: form.get("allow_local_requests_from_web_hooks") === "on",
    });
    revalidatePath(PAGE);
  } catch (e) {
    if (!isAppError(e)) throw e;
    target = `${PAGE}?error=${encodeURIComponent(e.message)}`;
  }
  redirect(target);
}
