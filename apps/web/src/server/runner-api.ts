/**
 * The runner API's hot routes (see @minilab/contracts runner-api.ts): claim (step 2), log upload
 * (step 3) and finish (step 4), written once against a transport-neutral request so the Next route
 * handlers (`app/api/v4/jobs/[id]/…`) and the Node dispatcher (runner-api-node.ts, which answers
 * them without Next's per-request machinery) behave identically: same auth, validation, status
 * codes, headers and error bodies (AppError → HTTP through http.ts's {@link errorReply}).
 */
import {
  ClaimRequest,
  JOB_STATUS_HEADER,
  JOB_TOKEN_HEADER,
  JobFinish,
  parseContentRange,
} from "@minilab/contracts";
import { AppError, appendJobLog, claimJob, finishJob, isAppError, parseJobId } from "@minilab/core";
import { getDb } from "@minilab/db";
import { errorReply, parseInput, readJson } from "./http.ts";

/** What the handlers read of a request. */
export interface RunnerApiRequest {
  /** A header's value (several joined with `, `), or null; case-insensitive name. */
  header(name: string): string | null;
  /**
   * The body's bytes. When it is longer than `max` the reader may stop early: the result is then
   * only known to be longer than `max` (the caller refuses it).
   */
  bytes(max: number): Promise<Buffer>;
}

/** An answer: `json` undefined means no body. */
export interface RunnerApiReply {
  status: number;
  headers: Record<string, string>;
  json?: unknown;
}

/**
 * Claim and finish bodies are small JSON (a finish carries at most 64 KiB of log, base64). A claim is
 * read before its token is checked, so anyone could send one: larger bodies are refused (413).
 */
export const MAX_JSON_BYTES = 1024 * 1024;

/** The body as JSON (UTF-8, BOM dropped, as `Request.json()`), at most {@link MAX_JSON_BYTES}. */
async function readSmallJson(req: RunnerApiRequest): Promise<unknown> {
  const body = await req.bytes(MAX_JSON_BYTES);
  if (body.length > MAX_JSON_BYTES) throw new AppError("too_large", "Request body is larger than 1 MiB");
  return readJson({ text: async () => new TextDecoder().decode(body) });
}

/** Larger log uploads are refused before buffering; runners send small batches. */
export const MAX_TRACE_CHUNK_BYTES = 4 * 1024 * 1024;

async function replying(fn: () => Promise<RunnerApiReply>): Promise<RunnerApiReply> {
  try {
    return await fn();
  } catch (e) {
    const r = errorReply(e);
    return { status: r.status, headers: r.headers, json: r.body };
  }
}

/** `POST /api/v4/jobs/:id/claim`: the runner token in the body; 201 with the JobSpec. */
export function claimReply(rawId: string, req: RunnerApiRequest): Promise<RunnerApiReply> {
  return replying(async (): Promise<RunnerApiReply> => {
    const jobId = parseJobId(rawId);
    const body = parseInput(ClaimRequest, await readSmallJson(req));
    const spec = await claimJob({ db: getDb(), runnerToken: body.token, jobId, info: body.info });
    return { status: 201, headers: {}, json: spec };
  });
}

/** `PUT /api/v4/jobs/:id` with `JOB-TOKEN`: the job's end, optionally with the log's last bytes. */
export function finishReply(rawId: string, req: RunnerApiRequest): Promise<RunnerApiReply> {
  return replying(async (): Promise<RunnerApiReply> => {
    const jobId = parseJobId(rawId);
    const jobToken = req.header(JOB_TOKEN_HEADER) ?? "";
    const body = parseInput(JobFinish, await readSmallJson(req));
    const r = await finishJob({
      db: getDb(),
      jobId,
      jobToken,
      state: body.state,
      exitCode: body.exitCode ?? null,
      ...(body.failureReason ? { failureReason: body.failureReason } : {}),
      ...(body.trace
        ? { finalLog: { offset: body.trace.offset, data: Buffer.from(body.trace.content, "base64") } }
        : {}),
    });
    return { status: 200, headers: {}, json: r };
  });
}

/**
 * `PATCH /api/v4/jobs/:id/trace` with `JOB-TOKEN`, `Content-Range: <start>-<end>` and raw bytes:
 * 202 with the acknowledged `Range` and `Job-Status`, or 416 with `Range` when there is a gap.
 */
export function traceReply(rawId: string, req: RunnerApiRequest): Promise<RunnerApiReply> {
  return replying(async (): Promise<RunnerApiReply> => {
    const jobId = parseJobId(rawId);
    const jobToken = req.header(JOB_TOKEN_HEADER) ?? "";
    if (Number(req.header("content-length") ?? 0) > MAX_TRACE_CHUNK_BYTES)
      throw new AppError("too_large", "Log chunk too large");
    const data = await req.bytes(MAX_TRACE_CHUNK_BYTES);
    if (data.length > MAX_TRACE_CHUNK_BYTES) throw new AppError("too_large", "Log chunk too large");
    const rangeHeader = req.header("content-range");
    const range = parseContentRange(rangeHeader);
    // A heartbeat may omit Content-Range; bytes may not, and must match the range they claim.
    if (data.length > 0 || rangeHeader !== null) {
      if (!range || range.end - range.start !== data.length) {
        throw new AppError(
          "invalid_input",
          "Content-Range must be <start>-<end> with end - start = body length",
        );
      }
    }
    try {
      const r = await appendJobLog({ db: getDb(), jobId, jobToken, start: range?.start ?? 0, data });
      return { status: 202, headers: { Range: `0-${r.acked}`, [JOB_STATUS_HEADER]: r.status } };
    } catch (e) {
      const acked = isAppError(e) && e.code === "range_mismatch" ? e.details?.["acked"] : undefined;
      if (typeof acked !== "number") throw e;
      return {
        status: 416,
        headers: { Range: `0-${acked}` },
        json: { message: e instanceof Error ? e.message : "", error: "range_mismatch", acked },
      };
    }
  });
}

/** Reads a body; stops (cancelling the rest) once it is longer than `max`. */
async function readStream(body: ReadableStream<Uint8Array> | null, max: number): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    if (length > max) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks, length);
}

/** The Next route side: a Fetch `Request` as a {@link RunnerApiRequest}. */
export function fetchRunnerRequest(req: Request): RunnerApiRequest {
  return {
    header: (name) => req.headers.get(name),
    bytes: (max) => readStream(req.body, max),
  };
}

/** The Next route side: a reply as a Fetch `Response`. */
export function fetchResponse(r: RunnerApiReply): Response {
  return r.json === undefined
    ? new Response(null, { status: r.status, headers: r.headers })
    : Response.json(r.json, { status: r.status, headers: r.headers });
}
