/**
 * The finish (`PUT /api/v4/jobs/:id`) is retried on 5xx and network errors, fails at once on a 4xx,
 * and stops retrying when its deadline passes (runner shutdown), saying how many attempts it made.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient, FinalHttpError } from "../src/api-client.ts";

const FAST = { initialMs: 1, maxMs: 5 };
const BODY = { state: "success", exitCode: 0 } as const;

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server answering successive finish requests with `statuses` (the last one repeats). */
async function serve(statuses: number[]): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(statuses[Math.min(n++, statuses.length - 1)] ?? 200).end("{}"));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => n };
}

describe("finish retries", () => {
  it("retries 5xx answers until the server takes the finish", async () => {
    const s = await serve([503, 502, 200]);
    await new ApiClient(s.url, "t").finish(7, "job", BODY, FAST);
    expect(s.requests()).toBe(3);
  });

  it("gives up on a 4xx at once", async () => {
    const s = await serve([404]);
    const err: unknown = await new ApiClient(s.url, "t")
      .finish(7, "job", BODY, FAST)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinalHttpError);
    expect((err as FinalHttpError).status).toBe(404);
    expect(s.requests()).toBe(1);
  });

  it("says how many attempts it made when the retrying is over", async () => {
    const s = await serve([503]);
    await expect(new ApiClient(s.url, "t").finish(7, "job", BODY, { ...FAST, attempts: 3 })).rejects.toThrow(
      "finish of job 7 failed after 3 attempts: HTTP 503",
    );
    expect(s.requests()).toBe(3);
  });

  it("retries network errors", async () => {
    const s = await serve([200]);
    const url = s.url;
    server?.close();
    await expect(new ApiClient(url, "t").finish(7, "job", BODY, { ...FAST, attempts: 2 })).rejects.toThrow(
      /^finish of job 7 failed after 2 attempts: fetch failed$/,
    );
  });

  it("stops once the deadline (read before each retry) has passed", async () => {
    const s = await serve([503]);
    const deadline = () => (s.requests() >= 2 ? Date.now() - 1 : Infinity);
    await expect(new ApiClient(s.url, "t").finish(7, "job", BODY, FAST, deadline)).rejects.toThrow(
      "finish of job 7 failed after 2 attempts: HTTP 503",
    );
    expect(s.requests()).toBe(2);
  });
});
