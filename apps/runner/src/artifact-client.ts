/**
 * HTTP side of artifacts (contracts/artifacts.ts): upload a file of the running job, download a
 * dependency's archive. Bodies are streamed both ways, so a large archive never sits in memory.
 * Network errors and 5xx are retried with the runner's server policy (retry.ts: up to
 * `SERVER_RETRY_MS`, each retry ≤ 5 s after the last), like the log and the finish, so a web app
 * outage during an upload does not fail the job; 4xx answers are final and carry the server's message.
 * Each attempt re-reads the file from the start: the server stores an upload only once it is whole.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { JOB_TOKEN_HEADER, type ArtifactType } from "@minilab/contracts";
import { FinalHttpError } from "./api-client.ts";
import { withRetry, type Backoff, type RetryOptions } from "./retry.ts";

const TIMEOUT_MS = 10 * 60_000;

/** Per call: when to stop retrying early (runner shutdown) and a hook to report retries. */
export type ArtifactRetry = Pick<RetryOptions, "deadline" | "onRetry">;

export interface UploadOptions {
  type: ArtifactType;
  expireIn?: string | null;
  name?: string;
}

export class ArtifactClient {
  constructor(
    private readonly baseUrl: string,
    /** @defaultValue `{}`, the server policy (retry.ts); tests shorten it. */
    private readonly backoff: Backoff = {},
  ) {}

  async upload(
    jobId: number,
    jobToken: string,
    file: string,
    opts: UploadOptions,
    retry: ArtifactRetry = {},
  ): Promise<void> {
    const q = new URLSearchParams({ artifact_type: opts.type });
    if (opts.expireIn) q.set("expire_in", opts.expireIn);
    if (opts.name) q.set("name", opts.name);
    const size = (await stat(file)).size;
    await this.#retrying(retry, async () => {
      const res = await fetch(`${this.baseUrl}/api/v4/jobs/${jobId}/artifacts?${q}`, {
        method: "POST",
        headers: {
          [JOB_TOKEN_HEADER]: jobToken,
          "content-type": opts.type === "archive" ? "application/zip" : "text/plain",
          "content-length": String(size),
        },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
        duplex: "half",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      } as RequestInit);
      const text = await res.text().catch(() => "");
      if (res.ok) return;
      const message = messageOf(text) ?? `HTTP ${res.status}`;
      if (res.status < 500) throw new FinalHttpError(res.status, `${res.status} ${message}`);
      throw new Error(`HTTP ${res.status} ${message}`);
    });
  }

  /** Downloads job `jobId`'s archive to `dest`; returns its size. */
  async download(jobId: number, jobToken: string, dest: string, retry: ArtifactRetry = {}): Promise<number> {
    return this.#retrying(retry, async () => {
      const res = await fetch(`${this.baseUrl}/api/v4/jobs/${jobId}/artifacts`, {
        headers: { [JOB_TOKEN_HEADER]: jobToken },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok || !res.body) {
        const message = messageOf(await res.text().catch(() => "")) ?? `HTTP ${res.status}`;
        if (res.status < 500) throw new FinalHttpError(res.status, `${res.status} ${message}`);
        throw new Error(`HTTP ${res.status} ${message}`);
      }
      try {
        await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(dest));
      } catch (err) {
        await rm(dest, { force: true });
        throw err;
      }
      return (await stat(dest)).size;
    });
  }

  #retrying<T>(retry: ArtifactRetry, fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, { ...retry, backoff: this.backoff, isFinal: (e) => e instanceof FinalHttpError });
  }
}

function messageOf(text: string): string | null {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    return typeof m === "string" ? m : null;
  } catch {
    return text ? text.slice(0, 200) : null;
  }
}
