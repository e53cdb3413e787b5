/**
 * HTTP side of artifacts (contracts/artifacts.ts): upload a file of the running job, download a
 * dependency's archive. Bodies are streamed both ways, so a large archive never sits in memory.
 * Network errors and 5xx are retried a few times; 4xx answers are final and carry the server's message.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { JOB_TOKEN_HEADER, type ArtifactType } from "@minilab/contracts";
import { FinalHttpError } from "./api-client.ts";
import { backoffDelay, sleep } from "./retry.ts";

const TIMEOUT_MS = 10 * 60_000;
const ATTEMPTS = 3;

export interface UploadOptions {
  type: ArtifactType;
  expireIn?: string | null;
  name?: string;
}

export class ArtifactClient {
  constructor(private readonly baseUrl: string) {}

  async upload(jobId: number, jobToken: string, file: string, opts: UploadOptions): Promise<void> {
    const q = new URLSearchParams({ artifact_type: opts.type });
    if (opts.expireIn) q.set("expire_in", opts.expireIn);
    if (opts.name) q.set("name", opts.name);
    const size = (await stat(file)).size;
    await withRetry(async () => {
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
  async download(jobId: number, jobToken: string, dest: string): Promise<number> {
    return withRetry(async () => {
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
}

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof FinalHttpError || attempt + 1 >= ATTEMPTS) throw err;
      await sleep(backoffDelay(attempt, { attempts: ATTEMPTS }));
    }
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
