import type { HookDelivery } from "@minilab/db";
import type { HookInfo } from "./manage-hooks.ts";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** GitLab's project hook JSON (events minilab does not emit are listed as false). The token never is. */
export function toApiHook(h: HookInfo) {
  return {
    id: h.id,
    url: h.url,
    name: "",
    description: "",
    project_id: h.projectId,
    push_events: h.pushEvents,
    push_events_branch_filter: "",
    branch_filter_strategy: "wildcard",
    issues_events: false,
    confidential_issues_events: false,
    merge_requests_events: false,
    tag_push_events: h.tagPushEvents,
    note_events: false,
    confidential_note_events: false,
    job_events: h.jobEvents,
    pipeline_events: h.pipelineEvents,
    wiki_page_events: false,
    deployment_events: false,
    feature_flag_events: false,
    releases_events: false,
    emoji_events: false,
    resource_access_token_events: false,
    repository_update_events: false,
    enable_ssl_verification: h.enableSslVerification,
    alert_status: h.alertStatus,
    disabled_until: iso(h.disabledUntil),
    url_variables: [],
    custom_headers: [],
    custom_webhook_template: "",
    created_at: iso(h.createdAt),
  };
}

/** A delivery-log entry, shaped like GitLab's hook events API (`GET …/hooks/:id/events`). */
export function toApiHookDelivery(d: HookDelivery) {
  return {
    id: d.id,
    url: undefined,
    trigger: d.event,
    event_uuid: d.eventUuid,
    idempotency_key: d.idempotencyKey,
    test: d.test,
    status: d.status,
    attempts: d.attempts,
    attempt_log: d.attemptLog,
    request_headers: d.requestHeaders,
    request_data: d.requestBody,
    response_status: d.responseStatus === null ? "internal error" : String(d.responseStatus),
    response_headers: d.responseHeaders,
    response_body: d.responseBody,
    internal_error_message: d.error,
    execution_duration: d.durationMs === null ? null : d.durationMs / 1000,
    created_at: iso(d.createdAt),
    finished_at: iso(d.finishedAt),
  };
}
