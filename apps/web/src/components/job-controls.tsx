"use client";
/**
 * Retry / cancel / play buttons for jobs and pipelines. Plain forms posting to server actions (they
 * work without JavaScript); which buttons show follows the live status the page already receives
 * (the job page's JobStream, or the project's status stream), so they change without a reload.
 */
import { useState } from "react";
import { useFormStatus } from "react-dom";
import { useSearchParams } from "next/navigation";
import {
  cancelJobAction,
  cancelPipelineAction,
  deletePipelineAction,
  playJobAction,
  retryJobAction,
  retryPipelineAction,
  runScheduledJobAction,
  unscheduleJobAction,
} from "../app/[namespace]/[project]/-/pipelines/actions";
import { useJobLog } from "./job-log/job-stream";
import { useStatusEvents } from "./project-events";

const CANCELABLE = new Set([
  "created",
  "waiting_for_resource",
  "preparing",
  "pending",
  "running",
  "scheduled",
]);
const RETRYABLE = new Set(["failed", "canceled", "success"]);
const PIPELINE_ACTIVE = new Set([
  "created",
  "waiting_for_resource",
  "preparing",
  "pending",
  "running",
  "scheduled",
  "manual",
]);

export interface ControlTarget {
  namespace: string;
  path: string;
  id: number;
  /** Where the action returns to (the current page). */
  back: string;
}

function Hidden({ target, follow }: { target: ControlTarget; follow?: boolean }) {
  return (
    <>
      <input type="hidden" name="namespace" value={target.namespace} />
      <input type="hidden" name="project" value={target.path} />
      <input type="hidden" name="id" value={target.id} />
      <input type="hidden" name="back" value={target.back} />
      {follow && <input type="hidden" name="follow" value="1" />}
    </>
  );
}

function ActionButton({
  action,
  target,
  label,
  testId,
  danger,
  follow,
  confirmText,
  small,
}: {
  action: (form: FormData) => Promise<void>;
  target: ControlTarget;
  label: string;
  testId: string;
  danger?: boolean;
  follow?: boolean;
  confirmText?: string;
  small?: boolean;
}) {
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (confirmText && !window.confirm(confirmText)) e.preventDefault();
      }}
    >
      <Hidden target={target} follow={follow} />
      <Submit
        className={`btn ${danger ? "btn-danger" : ""} ${small ? "h-7 w-7 p-0 text-xs" : ""}`}
        testId={testId}
        label={label}
      >
        {small ? (ICONS[label] ?? label) : label}
      </Submit>
    </form>
  );
}

/** Graph nodes are narrow: their buttons show a glyph, named by `aria-label` and `title`. */
const ICONS: Record<string, string> = { Retry: "↻", Cancel: "✕", Run: "▶", "Run now": "▶", Unschedule: "⏸" };

/** Disabled while its form's action runs, so a double click sends one request. */
function Submit({
  className,
  testId,
  label,
  children,
}: {
  className: string;
  testId: string;
  label?: string;
  children: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      className={className}
      data-testid={testId}
      disabled={pending}
      aria-label={label}
      title={label}
    >
      {children}
    </button>
  );
}

/** Play form with GitLab's "variables for this run" rows. */
function PlayForm({ target }: { target: ControlTarget }) {
  const [rows, setRows] = useState([0]);
  return (
    <form action={playJobAction} className="space-y-2" data-testid="play-form">
      <Hidden target={target} />
      <p className="text-sm font-semibold">Variables for this run</p>
      {rows.map((row, i) => (
        <div key={row} className="flex gap-1">
          <input
            name="var_key"
            className="input font-mono text-xs"
            placeholder="Key"
            aria-label={`Variable ${i + 1} key`}
            pattern="[A-Za-z_][A-Za-z0-9_]*"
            title="Letters, digits and _ only, not starting with a digit"
            autoComplete="off"
            data-testid="play-var-key"
          />
          <input
            name="var_value"
            className="input font-mono text-xs"
            placeholder="Value"
            aria-label={`Variable ${i + 1} value`}
            autoComplete="off"
            data-testid="play-var-value"
          />
        </div>
      ))}
      <div className="flex gap-2">
        <button
          type="button"
          className="btn px-2 py-0.5 text-xs"
          onClick={() => setRows((r) => [...r, Date.now()])}
        >
          Add variable
        </button>
        <Submit className="btn btn-primary" testId="job-play">
          Run job
        </Submit>
      </div>
    </form>
  );
}

/** The buttons that fit a job's status; `withVariables` shows the play form (job page). */
export function JobActions({
  target,
  status,
  retried = false,
  withVariables = false,
  small = false,
}: {
  target: ControlTarget;
  status: string;
  retried?: boolean;
  withVariables?: boolean;
  small?: boolean;
}) {
  const common = { target, small };
  if (status === "manual")
    return withVariables ? (
      <PlayForm target={target} />
    ) : (
      <ActionButton {...common} action={playJobAction} label="Run" testId="job-play" />
    );
  if (status === "canceling")
    return (
      <button type="button" className="btn" disabled data-testid="job-canceling">
        Canceling…
      </button>
    );
  if (status === "scheduled")
    return (
      <div className="flex gap-2">
        <ActionButton {...common} action={runScheduledJobAction} label="Run now" testId="job-run-now" />
        <ActionButton {...common} action={unscheduleJobAction} label="Unschedule" testId="job-unschedule" />
        <ActionButton {...common} action={cancelJobAction} label="Cancel" testId="job-cancel" danger />
      </div>
    );
  if (CANCELABLE.has(status))
    return <ActionButton {...common} action={cancelJobAction} label="Cancel" testId="job-cancel" danger />;
  if (RETRYABLE.has(status) && !retried)
    return (
      <ActionButton
        {...common}
        action={retryJobAction}
        label="Retry"
        testId="job-retry"
        follow={withVariables}
      />
    );
  return null;
}

/** Job page: follows the JobStream's live status. */
export function LiveJobActions({ target, retried }: { target: ControlTarget; retried: boolean }) {
  const { status } = useJobLog();
  return (
    <div className="mb-3" data-testid="job-actions">
      <JobActions target={target} status={status} retried={retried} withVariables />
    </div>
  );
}

/** Pipeline graph: one small button per job, following the project's status stream. */
export function GraphJobAction({ target, initial }: { target: ControlTarget; initial: string }) {
  const [status, setStatus] = useState(initial);
  const [seen, setSeen] = useState(initial);
  // A server refresh brings the truth from Postgres; it wins over what events said.
  if (seen !== initial) {
    setSeen(initial);
    setStatus(initial);
  }
  useStatusEvents((m) => {
    if (m.kind === "job" && m.id === target.id) setStatus(m.status);
  });
  return (
    <span data-testid={`job-action-${target.id}`} className="shrink-0">
      <JobActions target={target} status={status} small />
    </span>
  );
}

/** Pipeline page header: cancel while it runs, retry once it failed or was canceled, delete. */
export function PipelineActions({
  target,
  initial,
  canDelete,
}: {
  target: ControlTarget;
  initial: string;
  canDelete: boolean;
}) {
  const [status, setStatus] = useState(initial);
  const [seen, setSeen] = useState(initial);
  if (seen !== initial) {
    setSeen(initial);
    setStatus(initial);
  }
  useStatusEvents((m) => {
    if (m.kind === "pipeline" && m.id === target.id) setStatus(m.status);
  });
  return (
    <div className="flex flex-wrap gap-2" data-testid="pipeline-actions">
      {PIPELINE_ACTIVE.has(status) && (
        <ActionButton
          target={target}
          action={cancelPipelineAction}
          label="Cancel pipeline"
          testId="pipeline-cancel"
          danger
        />
      )}
      {(status === "failed" || status === "canceled") && (
        <ActionButton target={target} action={retryPipelineAction} label="Retry" testId="pipeline-retry" />
      )}
      {canDelete && (
        <ActionButton
          target={target}
          action={deletePipelineAction}
          label="Delete"
          testId="pipeline-delete"
          danger
          confirmText="Delete this pipeline? Its jobs and their logs are deleted too. This cannot be undone."
        />
      )}
    </div>
  );
}

/** The message a control action redirected back with (`?error=`), e.g. "Job is not cancelable". */
export function ControlError() {
  const error = useSearchParams().get("error");
  if (!error) return null;
  return (
    <p
      role="alert"
      data-testid="control-error"
      className="mb-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
    >
      {error}
    </p>
  );
}
