/**
 * HTTP client for the runner side of the contract in @minilab/contracts (runner-api.ts). It maps
 * responses to values and typed errors; retry policy lives with the callers (LogUploader, finish).
 */
import {
  JOB_STATUS_HEADER,
  JOB_TOKEN_HEADER,
  JobSpec,
  VerifyRunnerResponse,
  type ClaimRequest,
  type JobFinish,
} from "@minilab/contracts";
import { withRetry, type Backoff } from "./retry.ts";

/** 401/403 on claim: the runner token is wrong; the operator must fix the configuration. */
export class RunnerAuthError extends Error {
  override readonly name = "RunnerAuthError";
}

/** A non-retryable answer (a 4xx other than those the contract gives meaning to). */
export class FinalHttpError extends Error {
  override readonly name = "FinalHttpError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface TraceResponse {
  status: number;
  /** End of the server's acknowledged range (`Range: 0-<acked>`); null when absent or malformed. */
  acked: number | null;
  /** `Job-Status` header, e.g. `running`, `canceling`, `canceled`. */
  jobStatus: string | null;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Asked of every request: the web app would otherwise gzip its answers (a claim's JobSpec is a few
 * KB) and both processes would spend CPU on compressing and inflating bytes that cross the loopback
 * or a LAN — a measurable part of a job's dispatch cost.
 */
const IDENTITY = { "accept-encoding": "identity" } as const;

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly runnerToken: string,
    private readonly info: ClaimRequest["info"] = {},
  ) {}

  /** Returns the job spec, or null on 409 (taken by someone else, or canceled): drop it quietly. */
  async claim(jobId: number): Promise<JobSpec | null> {
    const body: ClaimRequest = { token: this.runnerToken, info: this.info };
    const res = await fetch(`${this.baseUrl}/api/v4/jobs/${jobId}/claim`, {
      method: "POST",
      headers: { ...IDENTITY, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (res.status === 409) return null;
    if (res.status === 401 || res.status === 403)
      throw new RunnerAuthError(
        `the server rejected the runner token (HTTP ${res.status}); check MINILAB_RUNNER_TOKEN`,
      );
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`claim of job ${jobId} failed: HTTP ${res.status} ${await safeText(res)}`);
    return JobSpec.parse(await res.json());
  }

  /** Heartbeat (see VerifyRunnerRequest); throws RunnerAuthError on 401/403. */
  async verify(): Promise<VerifyRunnerResponse> {
    const body: ClaimRequest = { token: this.runnerToken, info: this.info };
    const res = await fetch(`${this.baseUrl}/api/v4/runners/verify`, {
      method: "POST",
      headers: { ...IDENTITY, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (res.status === 401 || res.status === 403)
      throw new RunnerAuthError(
        `the server rejected the runner token (HTTP ${res.status}); check MINILAB_RUNNER_TOKEN`,
      );
    if (!res.ok) throw new Error(`runner heartbeat failed: HTTP ${res.status} ${await safeText(res)}`);
    return VerifyRunnerResponse.parse(await res.json());
  }

  /** One trace PATCH; network errors throw, every HTTP status is returned to the caller. */
  async patchTrace(
    jobId: number,
    jobToken: string,
    start: number,
    bytes: Uint8Array,
  ): Promise<TraceResponse> {
    const res = await fetch(`${this.baseUrl}/api/v4/jobs/${jobId}/trace`, {
      method: "PATCH",
      headers: {
        ...IDENTITY,
        [JOB_TOKEN_HEADER]: jobToken,
        "content-type": "application/octet-stream",
        "content-range": `${start}-${start + bytes.byteLength}`,
      },
      // A view, not a copy: fetch's BodyInit typing rejects SharedArrayBuffer views, and log bytes
      // never live in one.
      body: new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    return {
      status: res.status,
      acked: parseAcked(res.headers.get("range")),
      jobStatus: res.headers.get(JOB_STATUS_HEADER),
    };
  }

  /**
   * PUT finish, retried on network errors and 5xx — by default for `SERVER_RETRY_MS` (retry.ts), so a
   * web app that is down for minutes still gets the outcome; idempotent on the server, so retries are
   * safe. `deadline()` (epoch ms, read before each retry) cuts the retrying short (runner shutdown).
   */
  async finish(
    jobId: number,
    jobToken: string,
    body: JobFinish,
    backoff: Backoff = {},
    deadline: () => number = () => Infinity,
  ): Promise<void> {
    let attempts = 0;
    const put = async (): Promise<void> => {
      attempts++;
      const res = await fetch(`${this.baseUrl}/api/v4/jobs/${jobId}`, {
        method: "PUT",
        headers: { ...IDENTITY, [JOB_TOKEN_HEADER]: jobToken, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (res.ok) return;
      const text = await safeText(res);
      if (res.status < 500)
        throw new FinalHttpError(res.status, `finish of job ${jobId}: HTTP ${res.status} ${text}`);
      throw new Error(`HTTP ${res.status}`);
    };
    const isFinal = (err: unknown): boolean => err instanceof FinalHttpError;
    await withRetry(put, { backoff, deadline, isFinal }).catch((err: unknown) => {
      if (isFinal(err)) throw err;
      const failure = err instanceof Error ? err.message : String(err);
      throw new Error(`finish of job ${jobId} failed after ${attempts} attempts: ${failure}`);
    });
  }
}

/** `Range: 0-<acked>` (also accepts a `bytes ` prefix). */
export function parseAcked(header: string | null): number | null {
  const m = header ? /^(?:bytes[ =])?0-(\d+)$/.exec(header.trim()) : null;
  return m ? Number(m[1]) : null;
}

async function safeText(res: Response): Promise<string> {
  return (await res.text().catch(() => "")).slice(0, 200);
}
