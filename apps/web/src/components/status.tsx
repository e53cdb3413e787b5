/**
 * GitLab's CI status vocabulary and colours. Used by server and client components alike.
 */
const LABEL: Record<string, string> = {
  success: "passed",
  waiting_for_resource: "waiting",
  scheduled: "delayed",
};

type Tone = "ok" | "bad" | "run" | "wait" | "neutral" | "dark";

const TONE: Record<string, Tone> = {
  success: "ok",
  failed: "bad",
  running: "run",
  pending: "wait",
  preparing: "wait",
  waiting_for_resource: "wait",
  created: "neutral",
  skipped: "neutral",
  canceled: "dark",
  canceling: "dark",
  manual: "dark",
  scheduled: "dark",
};

const BADGE: Record<Tone, string> = {
  ok: "border-green-300 bg-green-50 text-green-800",
  bad: "border-red-300 bg-red-50 text-red-800",
  run: "border-blue-300 bg-blue-50 text-blue-800",
  wait: "border-amber-300 bg-amber-50 text-amber-800",
  neutral: "border-zinc-300 bg-zinc-50 text-zinc-600",
  dark: "border-zinc-400 bg-zinc-100 text-zinc-800",
};

const ICON_COLOR: Record<Tone, string> = {
  ok: "#108548",
  bad: "#dd2b0e",
  run: "#1f75cb",
  wait: "#ab6100",
  neutral: "#737278",
  dark: "#535158",
};

export const statusLabel = (status: string): string => LABEL[status] ?? status;
const tone = (status: string): Tone => TONE[status] ?? "neutral";

/** The colour of a status (favicons, charts). */
export const statusColor = (status: string): string => ICON_COLOR[tone(status)];

export function StatusIcon({ status, size = 16 }: { status: string; size?: number }) {
  const color = ICON_COLOR[tone(status)];
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      role="img"
      aria-label={statusLabel(status)}
      className={status === "running" ? "shrink-0 animate-[spin_2.5s_linear_infinite]" : "shrink-0"}
    >
      <circle cx="8" cy="8" r="7" fill="white" stroke={color} strokeWidth="1.6" />
      <Glyph status={status} color={color} />
    </svg>
  );
}

function Glyph({ status, color }: { status: string; color: string }) {
  const stroke = {
    stroke: color,
    strokeWidth: 1.7,
    strokeLinecap: "round" as const,
    strokeLinejoin: "round" as const,
    fill: "none",
  };
  switch (status) {
    case "success":
      return <path d="M5 8.2 7.1 10.3 11 6" {...stroke} />;
    case "failed":
      return <path d="M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8" {...stroke} />;
    case "running":
      return <path d="M8 3.5a4.5 4.5 0 0 1 0 9z" fill={color} />;
    case "pending":
    case "preparing":
    case "waiting_for_resource":
      return <path d="M6.5 5.5v5M9.5 5.5v5" {...stroke} />;
    case "canceled":
    case "canceling":
      return <path d="M5.3 10.7l5.4-5.4" {...stroke} />;
    case "skipped":
      return <path d="M5.5 5.5 8 8l-2.5 2.5M8.5 5.5 11 8l-2.5 2.5" {...stroke} strokeWidth={1.4} />;
    case "manual":
      return <circle cx="8" cy="8" r="2.2" {...stroke} />;
    case "scheduled":
      return <path d="M8 5v3.2l2 1.3" {...stroke} />;
    default:
      return <circle cx="8" cy="8" r="1.6" fill={color} />;
  }
}

/** `warnings`: GitLab's "passed with warnings" (success with an allowed failure) shows as "warning". */
export function StatusBadge({
  status,
  testId,
  warnings = false,
}: {
  status: string;
  testId?: string;
  warnings?: boolean;
}) {
  const warned = warnings && status === "success";
  return (
    <span
      data-testid={testId}
      data-status={status}
      {...(warned ? { "data-warnings": "true", title: "passed with warnings" } : {})}
      className={`inline-flex items-center gap-1 rounded-full border py-0.5 pr-2 pl-1 text-xs font-semibold ${BADGE[warned ? "wait" : tone(status)]}`}
    >
      <StatusIcon status={status} size={14} />
      <span>{warned ? "warning" : statusLabel(status)}</span>
    </span>
  );
}
