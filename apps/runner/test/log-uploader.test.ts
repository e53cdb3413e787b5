/**
 * LogUploader + Masker + ApiClient against a fake trace server: whatever faults the server injects,
 * it must end with exactly the (masked) bytes written, in order, none lost or doubled.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api-client.ts";
import { LogUploader } from "../src/log-uploader.ts";
import { Masker } from "../src/masker.ts";
import { startFakeServer, type FakeServer } from "./fake-server.ts";

const SECRET = "hunter2-s3cr3t-VALUE";
const TOKEN = "glcbt-jobtoken-0123456789";
let server: FakeServer;
let api: ApiClient;

beforeEach(async () => {
  server = await startFakeServer();
  api = new ApiClient(server.url, "runner-token");
});
afterEach(() => server.close());

const uploader = (over: Partial<ConstructorParameters<typeof LogUploader>[0]> = {}): LogUploader =>
  new LogUploader({
    api,
    jobId: 7,
    jobToken: TOKEN,
    backoff: { initialMs: 5, maxMs: 20, attempts: 10 },
    ...over,
  });

/** A deterministic log of `lines` lines, with the secret in some, written in awkward chunk sizes. */
function writeLog(target: (b: Buffer) => void, lines: number): string {
  let text = "";
  for (let i = 0; i < lines; i++)
    text += i % 7 === 0 ? `line ${i} token=${SECRET}; job=${TOKEN}\n` : `line ${i} ${"x".repeat(i % 50)}\n`;
  const bytes = Buffer.from(text);
  // Chunk sizes 1..13 guarantee secrets are split across writes at every possible position.
  for (let i = 0, n = 1; i < bytes.length; i += n, n = (n % 13) + 1) target(bytes.subarray(i, i + n));
  return text.replaceAll(SECRET, "[MASKED]").replaceAll(TOKEN, "[MASKED]");
}

describe("LogUploader", () => {
  it("delivers every byte exactly once through 500s, lost acks, dropped connections and 416s", async () => {
    server.faults.push("500", "store-then-500", "500", "store-then-drop", "store-then-500");
    const up = uploader({ maxChunkBytes: 4096 });
    const masker = new Masker([SECRET, TOKEN], (b) => up.write(b));
    const expected = writeLog((b) => masker.write(b), 3000);
    masker.end();
    await up.close();

    const log = server.log.toString();
    expect(log.length).toBe(expected.length);
    expect(log).toBe(expected);
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(TOKEN);
    expect(up.acked).toBe(Buffer.byteLength(expected));
    expect(server.requests.every((r) => r.size <= 4096)).toBe(true);
  });

  it("resumes from the server's Range after a 416", async () => {
    // A lost acknowledgement, then more bytes before the retry: the retry overlaps what the server
    // has, so the server answers 416 with its offset and the uploader continues from there.
    server.faults.push("store-then-500");
    const up = uploader({ backoff: { initialMs: 200, maxMs: 200, attempts: 5 } });
    up.write(Buffer.from("first batch\n"));
    while (server.statuses.length === 0) await new Promise((r) => setTimeout(r, 2));
    up.write(Buffer.from("second\n")); // lands during the backoff before the retry
    await up.close();
    expect(server.statuses).toEqual([500, 416, 202]);
    expect(server.log.toString()).toBe("first batch\nsecond\n");
  });

  it("flushes within 25 ms of the first byte and splits at 64 KiB", async () => {
    const up = uploader();
    const t0 = Date.now();
    up.write(Buffer.from("a"));
    up.write(Buffer.from("b"));
    await new Promise((r) => setTimeout(r, 150));
    expect(server.requests).toHaveLength(1); // both writes in one batch
    expect(server.requests[0]!.at - t0).toBeLessThan(25 + 40);

    up.write(Buffer.alloc(200 * 1024, "z"));
    await up.close();
    expect(server.log.length).toBe(2 + 200 * 1024);
    expect(Math.max(...server.requests.map((r) => r.size))).toBe(64 * 1024);
  });

  it("sends heartbeats and reports a server-side cancel once", async () => {
    let canceled = 0;
    const up = uploader({ heartbeatMs: 50, onCanceled: () => canceled++ });
    await new Promise((r) => setTimeout(r, 1200));
    expect(server.requests.some((r) => r.size === 0)).toBe(true);
    expect(canceled).toBe(0);
    server.jobStatus = "canceled";
    up.write(Buffer.from("x"));
    up.write(Buffer.from("y"));
    await up.close();
    expect(canceled).toBe(1);
  });

  describe("while the server is unreachable", () => {
    /** The real client, with the server "down" (every request a network error) while `down` is set. */
    function flaky() {
      const state = { down: true, failures: 0 };
      const traceApi = {
        patchTrace: (...args: Parameters<ApiClient["patchTrace"]>) => {
          if (!state.down) return api.patchTrace(...args);
          state.failures++;
          return Promise.reject(new TypeError("fetch failed: ECONNREFUSED"));
        },
      };
      return { state, traceApi };
    }
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise((r) => setTimeout(r, 5));
    };

    it("keeps retrying far past a minute's worth of attempts, never holds the job back, and loses or doubles nothing", async () => {
      const { state, traceApi } = flaky();
      const up = uploader({
        api: traceApi,
        backoff: { initialMs: 1, maxMs: 2 },
        maxBufferedBytes: 1024,
        maxChunkBytes: 4096,
      });
      up.write(Buffer.from("before the outage\n"));
      await until(() => state.failures > 0);
      expect(up.unreachable).toBe(true);
      // 200 KiB while the server is away: far above the normal 1 KiB bound, yet no write has to wait.
      let expected = "before the outage\n";
      for (let i = 0; i < 2000; i++) {
        const line = `line ${i} ${"y".repeat(90)}\n`;
        expected += line;
        up.write(Buffer.from(line));
        expect(up.room()).toBeUndefined();
      }
      // The old policy gave up after 20 attempts (about a minute at full backoff).
      await until(() => state.failures > 200);
      expect(up.error).toBeUndefined();
      state.down = false;
      await up.close();
      expect(up.unreachable).toBe(false);
      expect(server.log.toString()).toBe(expected);
      expect(up.acked).toBe(Buffer.byteLength(expected));
      // Back to normal, the normal bound holds the producer again (another job's log).
      server.log = Buffer.alloc(0);
      const again = uploader({ maxBufferedBytes: 1024, flushDelayMs: 10_000 });
      again.write(Buffer.alloc(4096, "z"));
      const wait = again.room();
      expect(wait).toBeInstanceOf(Promise);
      await wait;
      await again.close();
    });

    it("gives up once the retry budget is spent, and at once after hurry() (runner shutdown)", async () => {
      const { traceApi } = flaky();
      const up = uploader({ api: traceApi, backoff: { initialMs: 1, maxMs: 5, giveUpAfterMs: 300 } });
      up.write(Buffer.from("x"));
      const t0 = Date.now();
      await expect(up.close()).rejects.toThrow(/failed after \d+ attempts over 0 s/);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);

      const hurried = uploader({ api: traceApi, backoff: { initialMs: 1, maxMs: 5 } });
      hurried.write(Buffer.from("y"));
      hurried.hurry(100);
      const t1 = Date.now();
      await expect(hurried.close()).rejects.toThrow(/failed after/);
      expect(Date.now() - t1).toBeLessThan(2_000);
    });
  });

  it("gives up on a final 4xx and reports it from close()", async () => {
    server.forceStatus = 403;
    const up = uploader();
    up.write(Buffer.from("x"));
    await expect(up.close()).rejects.toThrow(/HTTP 403/);
  });
});

describe("Masker", () => {
  it("masks values split at every position and holds back only a possible secret prefix", () => {
    const out: Buffer[] = [];
    const m = new Masker(["abcdef", ""], (b) => out.push(b));
    m.write(Buffer.from("xx abc"));
    expect(Buffer.concat(out).toString()).toBe("xx "); // "abc" may start a secret
    m.write(Buffer.from("def yy ab"));
    m.write(Buffer.from("X"));
    m.end();
    expect(Buffer.concat(out).toString()).toBe("xx [MASKED] yy abX");
  });

  it("prefers the longest secret and handles multi-byte UTF-8", () => {
    const out: Buffer[] = [];
    const m = new Masker(["pässwört", "pä"], (b) => out.push(b));
    const bytes = Buffer.from("1 pässwört 2 pä 3");
    for (const b of bytes) m.write(Buffer.from([b]));
    m.end();
    expect(Buffer.concat(out).toString()).toBe("1 [MASKED] 2 [MASKED] 3");
  });
});
