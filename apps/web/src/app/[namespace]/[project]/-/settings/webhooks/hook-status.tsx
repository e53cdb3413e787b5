import type { HookInfo } from "@minilab/core";

/** Why a hook does not deliver, as GitLab's alert: temporarily or permanently disabled. */
export function HookAlert({
  hook,
}: {
  hook: Pick<HookInfo, "alertStatus" | "disabledReason" | "disabledUntil">;
}) {
  if (hook.alertStatus === "executable") return null;
  const temporary = hook.alertStatus === "temporarily_disabled";
  return (
    <p
      role="alert"
      data-testid="hook-disabled"
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <strong>{temporary ? "Temporarily disabled." : "Disabled."}</strong> {hook.disabledReason}
    </p>
  );
}

export function EventList({
  hook,
}: {
  hook: Pick<HookInfo, "pushEvents" | "tagPushEvents" | "pipelineEvents" | "jobEvents">;
}) {
  const names = [
    hook.pushEvents && "Push events",
    hook.tagPushEvents && "Tag push events",
    hook.pipelineEvents && "Pipeline events",
    hook.jobEvents && "Job events",
  ].filter(Boolean);
  return <span>{names.length ? names.join(", ") : "No events"}</span>;
}
