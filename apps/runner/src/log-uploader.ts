/**
 * Uploads a job's log to the server as offset-addressed PATCH requests (contract: runner-api.ts §3).
 *
 * Invariants:
 * - Bytes are kept until the server acknowledges them (`Range: 0-<acked>`), so a retry can always
 *   resend them; the server's acknowledged offset is the only truth about what it has.
 * - One request is in flight at a time, always starting at the acknowledged offset, so the server
 *   sees every byte exactly once and in order (a retried duplicate is its to ignore).
 * - Batching: a batch goes out within `flushDelayMs` of its first unsent byte, or at once when
 *   `maxChunkBytes` are waiting. While a request is in flight new bytes queue up and follow it.
 * - Network errors and 5xx are retried with backoff; 416 resumes from the server's `Range`; any other
 *   4xx is final (e.g. the job token was revoked because the job ended) and later bytes are dropped.
 * - An empty PATCH every `heartbeatMs` while idle tells the server the runner is alive and returns the
 *   `Job-Status`; `canceled`/`canceling` triggers `onCanceled` exactly once.
 */
import type { TraceResponse } from "./api-client.ts";
import { backoffDelay, sleep, type Backoff } from "./retry.ts";

export interface TraceApi {
  patchTrace(jobId: number, jobToken: string, start: number, bytes: Uint8Array): Promise<TraceResponse>;
}

export interface LogUploaderOptions {
  api: TraceApi;
  jobId: number;
  jobToken: string;
  onCanceled?: () => void;
  /** @defaultValue 25 */
  flushDelayMs?: number;
  /** @defaultValue 65536 */
  maxChunkBytes?: number;
  /** @defaultValue 10000 */
  heartbeatMs?: number;
  /** Retry policy for one batch. @defaultValue `{ attempts: 20 }` (≈ a minute of retrying) */
  backoff?: Backoff;
}

export class LogUploadError extends Error {
  override readonly name = "LogUploadError";
}

export class LogUploader {
  readonly #o: Required<Omit<LogUploaderOptions, "onCanceled">> & Pick<LogUploaderOptions, "onCanceled">;
  /** Unacknowledged bytes; the first one is at offset #acked. */
  #chunks: Buffer[] = [];
  #acked = 0;
  #written = 0;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout;
  #loop: Promise<void> | undefined;
  #failed: Error | undefined;
  #canceled = false;
  #lastRequestAt = Date.now();

  constructor(opts: LogUploaderOptions) {
    this.#o = {
      flushDelayMs: 25,
      maxChunkBytes: 64 * 1024,
      heartbeatMs: 10_000,
      backoff: { attempts: 20 },
      ...opts,
    };
    this.#heartbeat = setInterval(() => this.#beat(), Math.min(1000, this.#o.heartbeatMs));
    this.#heartbeat.unref();
  }

  /** Offset the server has acknowledged. */
  get acked(): number {
    return this.#acked;
  }

  /** Total bytes handed to write(). */
  get written(): number {
    return this.#written;
  }

  /** The final error, once uploading has given up; later writes are dropped. */
  get error(): Error | undefined {
    return this.#failed;
  }

  write(chunk: Buffer): void {
    if (this.#failed || chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#written += chunk.length;
    if (this.#loop) return; // the running loop picks it up
    if (this.#written - this.#acked >= this.#o.maxChunkBytes) this.#kick();
    else this.#timer ??= setTimeout(() => this.#kick(), this.#o.flushDelayMs);
  }

  /** Sends everything written so far and resolves once it is all acknowledged; rejects if it can't be. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#kick();
    while (this.#loop) await this.#loop;
    if (this.#failed) throw this.#failed;
  }

  #kick(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#loop || this.#failed) return;
    this.#loop = this.#send(false).finally(() => {
      this.#loop = undefined;
    });
  }

  #beat(): void {
    if (this.#loop || this.#failed || this.#timer) return;
    if (Date.now() - this.#lastRequestAt < this.#o.heartbeatMs) return;
    this.#loop = this.#send(true).finally(() => {
      this.#loop = undefined;
    });
  }

  async #send(heartbeat: boolean): Promise<void> {
    let attempt = 0;
    while (!this.#failed && (heartbeat || this.#written > this.#acked)) {
      const start = this.#acked;
      const body = heartbeat ? Buffer.alloc(0) : this.#peek(this.#o.maxChunkBytes);
      this.#lastRequestAt = Date.now();
      let res: TraceResponse | undefined;
      try {
        res = await this.#o.api.patchTrace(this.#o.jobId, this.#o.jobToken, start, body);
      } catch {
        res = undefined; // network error: retried below
      }
      if (res) this.#noteStatus(res.jobStatus);

      if (res && res.status >= 200 && res.status < 300) {
        attempt = 0;
        this.#advanceTo(res.acked ?? start + body.length);
        if (heartbeat) return;
        continue;
      }
      if (res?.status === 416 && res.acked !== null) {
        this.#advanceTo(res.acked);
        if (heartbeat) return;
        continue;
      }
      if (res && res.status < 500 && res.status !== 416) {
        this.#fail(new LogUploadError(`trace upload of job ${this.#o.jobId} rejected: HTTP ${res.status}`));
        return;
      }
      if (heartbeat) return; // a missed heartbeat is not worth retrying; the next one follows
      if (++attempt >= (this.#o.backoff.attempts ?? 20)) {
        this.#fail(
          new LogUploadError(`trace upload of job ${this.#o.jobId} failed after ${attempt} attempts`),
        );
        return;
      }
      await sleep(backoffDelay(attempt - 1, this.#o.backoff));
    }
  }

  /** Moves the acknowledged offset, dropping bytes the server now has. */
  #advanceTo(acked: number): void {
    if (acked < this.#acked) {
      // The server forgot bytes we already dropped: they cannot be resent, so the log would have a gap.
      this.#fail(
        new LogUploadError(`server acknowledged ${acked} after ${this.#acked}; log bytes were lost`),
      );
      return;
    }
    if (acked > this.#written) {
      this.#fail(
        new LogUploadError(`server acknowledged ${acked} bytes but only ${this.#written} were written`),
      );
      return;
    }
    let drop = acked - this.#acked;
    while (drop > 0) {
      const first = this.#chunks[0]!;
      if (first.length <= drop) {
        this.#chunks.shift();
        drop -= first.length;
      } else {
        this.#chunks[0] = first.subarray(drop);
        drop = 0;
      }
    }
    this.#acked = acked;
  }

  #peek(max: number): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    for (const c of this.#chunks) {
      if (size >= max) break;
      const part = c.subarray(0, max - size);
      parts.push(part);
      size += part.length;
    }
    return Buffer.concat(parts, size);
  }

  #noteStatus(status: string | null): void {
    if (this.#canceled || (status !== "canceled" && status !== "canceling")) return;
    this.#canceled = true;
    this.#o.onCanceled?.();
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    this.#chunks = [];
  }
}
