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
 * - Network errors and 5xx are retried with backoff (each retry ≤ 5 s after the last) for as long as
 *   the retry budget allows — `SERVER_RETRY_MS` (retry.ts, 15 min) by default, so a web app that is down for
 *   minutes loses nothing; 416 resumes from the server's `Range`; any other 4xx is final (e.g. the job
 *   token was revoked because the job ended) and later bytes are dropped.
 * - An empty PATCH every `heartbeatMs` while idle tells the server the runner is alive and returns the
 *   `Job-Status`; `canceled`/`canceling` triggers `onCanceled` exactly once.
 * - Memory is bounded by backpressure, not by dropping: `room()` returns a promise while more than
 *   `maxBufferedBytes` are unacknowledged, and the runner passes it to the executor, which stops
 *   reading the job's output until it resolves. write() itself never refuses bytes. While the server
 *   cannot be reached at all, the bound is `maxOutageBufferedBytes` instead: the job keeps running
 *   through an outage rather than freezing on its next write (the runner's job log limit, 4 MiB by
 *   default, bounds what a job can write anyway).
 */
import type { TraceResponse } from "./api-client.ts";
import { backoffDelay, mayRetry, sleep, type Backoff } from "./retry.ts";

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
  /** Unacknowledged bytes above which {@link LogUploader.room} asks the producer to wait. @defaultValue 1 MiB */
  maxBufferedBytes?: number;
  /**
   * Unacknowledged bytes above which room() asks the producer to wait while the server is
   * unreachable (the current batch is failing). @defaultValue 64 MiB
   */
  maxOutageBufferedBytes?: number;
  /** Retry policy for a streak of failed uploads. @defaultValue `{}`: retried for `SERVER_RETRY_MS` */
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
  /** Set while the server cannot be reached: when the current streak of failed uploads began. */
  #failingSince: number | undefined;
  /** Epoch ms after which failed uploads are no longer retried (see hurry()). */
  #deadline = Infinity;
  /** Producers waiting in room(), resolved once the unacknowledged bytes are at or below the bound. */
  #waiters: (() => void)[] = [];
  /** Set by closeForFinish: a request in flight completes, but no further batch follows it. */
  #handoff = false;

  constructor(opts: LogUploaderOptions) {
    this.#o = {
      flushDelayMs: 25,
      maxChunkBytes: 64 * 1024,
      heartbeatMs: 10_000,
      maxBufferedBytes: 1024 * 1024,
      maxOutageBufferedBytes: 64 * 1024 * 1024,
      backoff: {},
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

  /**
   * Undefined while at most `maxBufferedBytes` are unacknowledged; otherwise a promise that resolves
   * once the server has acknowledged enough (or uploading gave up, after which writes are dropped).
   */
  room(): Promise<void> | undefined {
    if (this.#failed || this.#written - this.#acked <= this.#bound()) return undefined;
    this.#kick(); // the bound is above maxChunkBytes, so a batch is due anyway
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** True while the server cannot be reached (uploads are failing and being retried). */
  get unreachable(): boolean {
    return this.#failingSince !== undefined;
  }

  /**
   * Retry failed uploads for at most `ms` more (e.g. the runner is shutting down and must not wait
   * the whole retry budget for a server that is down). Successful uploads are not affected.
   */
  hurry(ms: number): void {
    this.#deadline = Math.min(this.#deadline, Date.now() + ms);
  }

  /**
   * Ends uploading for a finish that carries the end of the log (contract: `JobFinish.trace`): lets
   * a request in flight complete (no further batch follows it) and hands back the bytes not sent
   * yet with their offset instead of PATCHing them — one request less per job. More than `maxBytes`
   * left are all sent as close() would (nothing handed back). Rejects as close() does. Nothing may
   * be written afterwards.
   */
  async closeForFinish(maxBytes: number): Promise<{ offset: number; data: Buffer }> {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#handoff = true;
    while (this.#loop) await this.#loop;
    this.#handoff = false;
    if (this.#written - this.#acked > maxBytes) await this.close();
    if (this.#failed) throw this.#failed;
    return { offset: this.#acked, data: this.#peek(maxBytes) };
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
      // Bytes written while the heartbeat was in flight found a loop running and were not scheduled
      // (nor would close() or a producer waiting in room() see them sent): send them now.
      if (this.#written > this.#acked) this.#kick();
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
        this.#reachable();
        this.#advanceTo(res.acked ?? start + body.length);
        if (heartbeat || this.#handoff) return; // closeForFinish takes what is left
        continue;
      }
      if (res?.status === 416 && res.acked !== null) {
        this.#reachable();
        this.#advanceTo(res.acked);
        if (heartbeat) return;
        continue;
      }
      if (res && res.status < 500 && res.status !== 416) {
        this.#fail(new LogUploadError(`trace upload of job ${this.#o.jobId} rejected: HTTP ${res.status}`));
        return;
      }
      if (heartbeat) return; // a missed heartbeat is not worth retrying; the next one follows
      if (this.#failingSince === undefined) {
        this.#failingSince = Date.now();
        this.#wake(); // producers held back by the normal bound may go on while the server is away
      }
      if (!mayRetry(this.#o.backoff, ++attempt, this.#failingSince, this.#deadline)) {
        const seconds = Math.round((Date.now() - this.#failingSince) / 1000);
        this.#fail(
          new LogUploadError(
            `trace upload of job ${this.#o.jobId} failed after ${attempt} attempts over ${seconds} s`,
          ),
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
    this.#wake();
  }

  #wake(): void {
    if (!this.#failed && this.#written - this.#acked > this.#bound()) return;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  /** The backpressure bound: larger while the server cannot be reached (see the header). */
  #bound(): number {
    return this.#failingSince === undefined
      ? this.#o.maxBufferedBytes
      : Math.max(this.#o.maxBufferedBytes, this.#o.maxOutageBufferedBytes);
  }

  #reachable(): void {
    this.#failingSince = undefined;
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
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size); // one part: a view, no copy
  }

  #noteStatus(status: string | null): void {
    if (this.#canceled || (status !== "canceled" && status !== "canceling")) return;
    this.#canceled = true;
    this.#o.onCanceled?.();
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    this.#chunks = [];
    this.#wake();
  }
}
