/**
 * The runner ↔ server contract. Both apps/web (server) and apps/runner (client) import these schemas;
 * nothing else defines the wire format.
 *
 * Lifecycle of one job, as seen by a runner:
 *   1. dispatch — the runner takes `{ jobId }` from the BullMQ queue (see ./queue.ts). The queue only
 *      carries work whose Postgres row already says `pending`.
 *   2. claim    — `POST /api/v4/jobs/:id/claim` with the runner token. The server moves the row
 *      pending → running with a compare-and-set and answers 201 with a {@link JobSpec} (including a
 *      fresh CI job token). 409 means someone else has it or it was canceled: drop the queue item, do
 *      not retry. 401/403: the runner token is wrong — stop and tell the operator.
 *   3. log*     — `PATCH /api/v4/jobs/:id/trace`, header `JOB-TOKEN`, header `Content-Range: <start>-<end>`
 *      (byte offsets, end exclusive), raw bytes as body. The server stores the bytes only if `start`
 *      equals the offset it has acknowledged so far and answers 202 with header `Range: 0-<acked>`.
 *      A retry of bytes already stored is answered 202 without storing them twice; a gap is answered
 *      416 with the acknowledged `Range`, and the runner resends from there. The response header
 *      `Job-Status` tells the runner when the job was canceled meanwhile. An empty PATCH is a heartbeat.
 *   4. finish   — `PUT /api/v4/jobs/:id` with `JOB-TOKEN` and a {@link JobFinish} body, sent only after
 *      every log byte is acknowledged — or carrying the bytes not sent yet as `trace` (at most
 *      {@link FINISH_TRACE_MAX_BYTES}), which spares the last PATCH: they are stored at `trace.offset`
 *      like an upload and the job ends in the same transaction. Idempotent: finishing a finished job
 *      answers 200 and changes nothing. The job token stops working once the job has finished.
 *
 * Artifacts (./artifacts.ts): before its script a job downloads the archives of its dependencies
 * (`GET /api/v4/jobs/:dep/artifacts` with its own `JOB-TOKEN`); after it, while still running, it
 * uploads its own (`POST /api/v4/jobs/:id/artifacts`), so uploads always precede the finish.
 *
 * Cancel: a user's cancel moves a running job to `canceling` and publishes `{ jobId }` on the Redis
 * channel `channelsFor(prefix).jobCancel` (./events.ts), which runners subscribe to at start, so they learn within
 * milliseconds. The fallback when a message is lost: every trace response (log upload or the empty
 * heartbeat PATCH, at least every 10 s) carries `Job-Status: canceling`. The runner then stops the
 * script, still runs after_script, uploads the rest of the log (accepted while `canceling`) and
 * finishes with `state: canceled`. A job canceled before it was claimed is never claimable (409).
 *
 * Who retries what: the runner retries trace and finish requests (network errors, 5xx) with backoff;
 * the server never retries towards the runner. Any 4xx other than 416 is final for that request.
 */
import { z } from "zod";
import { ArtifactDependency, ArtifactsSpec, CacheSpec } from "./artifacts.ts";

export const JOB_TOKEN_HEADER = "JOB-TOKEN";
export const JOB_STATUS_HEADER = "Job-Status";

export const JobVariable = z.object({
  key: z.string(),
  value: z.string(),
  /** Masked variables are replaced by `[MASKED]` in the job log. */
  masked: z.boolean().default(false),
  /**
   * GitLab's `variable_type: file`: the runner writes the value to a temporary file inside the job and
   * sets the variable to that file's path (e.g. `TRIGGER_PAYLOAD`).
   */
  file: z.boolean().optional(),
});
export type JobVariable = z.infer<typeof JobVariable>;

export const ClaimRequest = z.object({
  token: z.string().min(1),
  /** Free-form runner facts shown in the UI. */
  info: z
    .object({
      name: z.string().optional(),
      version: z.string().optional(),
      executor: z.string().optional(),
      /** Tags in the runner's config; informational — the server routes and checks by its own record. */
      tags: z.array(z.string()).optional(),
      runUntagged: z.boolean().optional(),
    })
    .optional(),
});
export type ClaimRequest = z.infer<typeof ClaimRequest>;

/**
 * Heartbeat: `POST /api/v4/runners/verify` with the runner token, every {@link HEARTBEAT_INTERVAL_MS}
 * while the runner runs (also at start, so a wrong token stops it at once). 200 answers with the
 * server's record of the runner; 401/403 means the token is wrong. The UI shows a runner as online
 * while its last contact is within {@link ONLINE_WINDOW_MS}.
 */
export const VerifyRunnerRequest = ClaimRequest;
export type VerifyRunnerRequest = ClaimRequest;
export const VerifyRunnerResponse = z.object({
  id: z.number().int(),
  description: z.string(),
  tags: z.array(z.string()),
  runUntagged: z.boolean(),
});
export type VerifyRunnerResponse = z.infer<typeof VerifyRunnerResponse>;
export const HEARTBEAT_INTERVAL_MS = 30_000;
export const ONLINE_WINDOW_MS = 120_000;

export const JobSpec = z.object({
  id: z.number().int().positive(),
  /** CI job token, valid while the job runs; used for the clone URL, trace and finish. */
  token: z.string(),
  name: z.string(),
  stage: z.string(),
  /** Image name; the runner falls back to its configured default when empty. */
  image: z.string(),
  beforeScript: z.array(z.string()),
  script: z.array(z.string()),
  afterScript: z.array(z.string()),
  /** Predefined CI_* variables, then global, then job variables; later entries win. */
  variables: z.array(JobVariable),
  git: z.object({
    /** `http://gitlab-ci-token:<token>@host/<ns>/<project>.git` */
    repoUrl: z.string(),
    sha: z.string(),
    ref: z.string(),
    /** Directory inside the container, e.g. `/builds/<ns>/<project>`. */
    projectDir: z.string(),
  }),
  timeoutSeconds: z.number().int().positive(),
  /** The job's `image:` entrypoint override (`image: {name, entrypoint}`); absent = the image's own. */
  imageEntrypoint: z.array(z.string()).nullable().optional(),
  /** `services:`, started on a per-job network and reachable by alias. */
  services: z
    .array(
      z.object({
        name: z.string(),
        alias: z.string().nullable().optional(),
        entrypoint: z.array(z.string()).nullable().optional(),
        command: z.array(z.string()).nullable().optional(),
      }),
    )
    .optional(),
  /**
   * The server stores `JobFinish.trace`, so the runner may send the log's last bytes with the finish
   * instead of a last PATCH. Absent (an older server, which would drop them): PATCH everything first.
   */
  finishTrace: z.boolean().optional(),
  /** Runner tags of the job (informational; routing happened on the queue). */
  tags: z.array(z.string()).optional(),
  /** `artifacts:` to collect after the script and upload (see ./artifacts.ts); absent = none. */
  artifacts: ArtifactsSpec.nullable().optional(),
  /** `cache:` entries (at most 4), restored before and saved after the script by the runner. */
  cache: z.array(CacheSpec).optional(),
  /**
   * Earlier jobs whose artifacts this job downloads before its script (`dependencies`, `needs`, or
   * every earlier stage); only those with an unexpired archive are listed.
   */
  dependencies: z.array(ArtifactDependency).optional(),
});
export type JobSpec = z.infer<typeof JobSpec>;

/** The most log bytes a finish may carry (`JobFinish.trace`); a longer tail goes out as PATCHes first. */
export const FINISH_TRACE_MAX_BYTES = 64 * 1024;

export const JobFinish = z.object({
  /**
   * `canceled` confirms a cancel the server asked for (see "Cancel" above). A job the server marked
   * `canceling` ends `canceled` whatever state is reported: the user's cancel committed first.
   */
  state: z.enum(["success", "failed", "canceled"]),
  exitCode: z.number().int().nullable().optional(),
  /** GitLab failure reason words, e.g. `script_failure`, `runner_system_failure`, `job_execution_timeout`. */
  failureReason: z.string().optional(),
  /**
   * The end of the log: bytes from `offset` (the offset the server acknowledged last), base64. Bytes
   * the server already holds are not stored twice; a gap (offset past the stored log) stores nothing.
   */
  trace: z
    .object({
      offset: z.number().int().min(0),
      content: z.string().max(Math.ceil(FINISH_TRACE_MAX_BYTES / 3) * 4),
    })
    .optional(),
});
export type JobFinish = z.infer<typeof JobFinish>;

/** Parses `Content-Range: <start>-<end>` (end exclusive). Returns null when malformed. */
export function parseContentRange(header: string | null): { start: number; end: number } | null {
  if (!header) return null;
  const m = /^(?:bytes )?(\d+)-(\d+)$/.exec(header.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  return { start, end };
}
