/**
 * Sends one delivery (one attempt) and records it in the delivery log.
 *
 * Headers, as GitLab's: `Content-Type`, `User-Agent: GitLab/<version> (minilab)`, `X-Gitlab-Event`,
 * `X-Gitlab-Token` (the hook's secret, if set), `X-Gitlab-Instance`, `X-Gitlab-Webhook-UUID` (the hook),
 * `X-Gitlab-Event-UUID` (the event; shared by all hooks it goes to), `Idempotency-Key` (the same across
 * retries and redeliveries). Plus minilab's `X-Minilab-Signature: sha256=<hex>`, the HMAC-SHA256 of the
 * exact body keyed by the secret token (only when a token is set).
 *
 * A delivered row is never sent again (a duplicate queue item or a late retry finds it `delivered` and
 * stops). 2xx is success; anything else, a timeout or a network error is a failed attempt. A URL the
 * SSRF guard refuses fails at once, without retries. When the last attempt fails, the hook's
 * consecutive-failure count grows: from 4 it is temporarily disabled (1 minute, doubling up to a day,
 * as GitLab), from 40 disabled until someone re-enables it; a success resets it.
 */
import { createHmac } from "node:crypto";
import type { Db, HookDelivery, ProjectHook } from "@minilab/db";
import { coreConfig } from "../config.ts";
import { isAppError } from "../errors.ts";
import { getApplicationSettings } from "./application-settings.ts";
import { enabled } from "./manage-hooks.ts";
import { sendHookRequest } from "./send-request.ts";
import { assertHookUrlAllowed } from "./ssrf.ts";

export const SIGNATURE_HEADER = "X-Minilab-Signature";
export const HOOK_USER_AGENT = "GitLab/17.0.0 (minilab)";
const TEMP_DISABLE_AFTER = 4;
const PERMANENT_DISABLE_AFTER = 40;

export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

export function hookHeaders(
  hook: ProjectHook,
  d: Pick<HookDelivery, "event" | "eventUuid" | "idempotencyKey" | "requestBody">,
) {
  return {
    "Content-Type": "application/json",
    "User-Agent": HOOK_USER_AGENT,
    "X-Gitlab-Event": d.event,
    ...(hook.token ? { "X-Gitlab-Token": hook.token } : {}),
    "X-Gitlab-Instance": coreConfig().externalUrl,
    "X-Gitlab-Webhook-UUID": hook.uuid,
    "X-Gitlab-Event-UUID": d.eventUuid,
    "Idempotency-Key": d.idempotencyKey,
    ...(hook.token ? { [SIGNATURE_HEADER]: signBody(hook.token, d.requestBody) } : {}),
  };
}

export interface DeliveryOutcome {
  /** delivered | failed (final) | retry (another attempt should follow) | gone (hook deleted or done) */
  state: "delivered" | "failed" | "retry" | "gone";
  status?: number;
  error?: string;
}

interface AttemptEntry {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export async function deliverHook({
  db,
  deliveryId,
  final,
}: {
  db: Db;
  deliveryId: string;
  /** This is the last attempt: a failure is final. */
  final: boolean;
}): Promise<DeliveryOutcome> {
  const d = await db.hookDelivery.findUnique({ where: { id: deliveryId }, include: { hook: true } });
  if (!d || d.status === "delivered" || d.status === "failed") return { state: "gone" };
  const { hook } = d;
  const headers = hookHeaders(hook, d);
  const { allowLocalRequestsFromWebHooks: allowLocal } = await getApplicationSettings(db);
  const started = Date.now();
  let status: number | null = null;
  let error: string | null = null;
  let blocked = false;
  let response: Awaited<ReturnType<typeof sendHookRequest>> | null = null;
  try {
    const url = await assertHookUrlAllowed(hook.url, allowLocal);
    response = await sendHookRequest({
      url,
      headers,
      body: d.requestBody,
      allowLocal,
      verifySsl: hook.enableSslVerification,
    });
    status = response.status;
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (e) {
    blocked = isAppError(e) || (e as NodeJS.ErrnoException).code === "EBLOCKED";
    error = e instanceof Error ? e.message : String(e);
  }
  const durationMs = Date.now() - started;
  const ok = error === null;
  const terminal = ok || final || blocked;
  const entry: AttemptEntry = { at: new Date(started).toISOString(), status, error, durationMs };
  const log = Array.isArray(d.attemptLog) ? (d.attemptLog as unknown as AttemptEntry[]) : [];
  await db.hookDelivery.update({
    where: { id: d.id },
    data: {
      status: ok ? "delivered" : terminal ? "failed" : "pending",
      attempts: { increment: 1 },
      attemptLog: [...log, entry] as never,
      // The log shows what was sent, minus the secret.
      requestHeaders: { ...headers, ...(hook.token ? { "X-Gitlab-Token": "[REDACTED]" } : {}) },
      responseStatus: status,
      responseHeaders: response?.headers ?? undefined,
      responseBody: response?.body ?? null,
      error,
      durationMs,
      ...(terminal ? { finishedAt: new Date() } : {}),
    },
  });
  if (ok) {
    if (hook.recentFailures > 0 || hook.alertStatus !== "executable")
      await db.projectHook.update({ where: { id: hook.id }, data: enabled });
    return { state: "delivered", status: status ?? 0 };
  }
  if (!terminal) return { state: "retry", error: error ?? "" };
  if (!d.test) await recordHookFailure(db, hook.id, error ?? "failed");
  return { state: "failed", ...(status === null ? {} : { status }), error: error ?? "" };
}

async function recordHookFailure(db: Db, hookId: number, error: string): Promise<void> {
  const hook = await db.projectHook.update({
    where: { id: hookId },
    data: { recentFailures: { increment: 1 } },
  });
  const n = hook.recentFailures;
  if (n >= PERMANENT_DISABLE_AFTER) {
    await db.projectHook.update({
      where: { id: hookId },
      data: {
        alertStatus: "disabled",
        disabledUntil: null,
        disabledReason: `Disabled after ${n} consecutive failed deliveries (last: ${error}). Re-enable it, or fix the receiver and send a test event.`,
      },
    });
  } else if (n >= TEMP_DISABLE_AFTER) {
    const pauseMs = Math.min(60_000 * 2 ** (n - TEMP_DISABLE_AFTER), 24 * 3600_000);
    const until = new Date(Date.now() + pauseMs);
    await db.projectHook.update({
      where: { id: hookId },
      data: {
        alertStatus: "temporarily_disabled",
        disabledUntil: until,
        disabledReason: `Temporarily disabled after ${n} consecutive failed deliveries (last: ${error}); events are sent again after ${until.toISOString()}.`,
      },
    });
  }
}
