/**
 * The LogUploader's memory bound as the job sees it: with a slow (but reachable) server the producer
 * is held back by room() until acknowledgements bring the unacknowledged bytes under the bound, and a
 * write that lands while a heartbeat is in flight is still sent (it once sat unsent until the next
 * write, and close() could resolve without it).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api-client.ts";
import { LogUploader } from "../src/log-uploader.ts";
import { startFakeServer, type FakeServer } from "./fake-server.ts";

let server: FakeServer;
let api: ApiClient;
beforeEach(async () => {
  server = await startFakeServer();
  api = new ApiClient(server.url, "runner-token");
});
afterEach(() => server.close());

/** The real client behind a gate: each request waits until the test opens the gate. */
function gated() {
  const waiting: (() => void)[] = [];
  const sizes: number[] = [];
  return {
    waiting,
    sizes,
    open: () => waiting.splice(0).forEach((go) => go()),
    api: {
      patchTrace: async (...args: Parameters<ApiClient["patchTrace"]>) => {
        sizes.push(args[3].length);
        await new Promise<void>((go) => waiting.push(go));
        return api.patchTrace(...args);
      },
    },
  };
}
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe("LogUploader backpressure", () => {
  it("holds the producer while more than maxBufferedBytes are unacknowledged, and drops nothing", async () => {
    const gate = gated();
    const up = new LogUploader({
      api: gate.api,
      jobId: 7,
      jobToken: "t",
      maxBufferedBytes: 8192,
      maxChunkBytes: 4096,
    });
    let expected = "";
    const write = (s: string) => {
      expected += s;
      up.write(Buffer.from(s));
      return up.room();
    };
    expect(write("a".repeat(8192))).toBeUndefined(); // at the bound: no wait
    const wait = write("b");
    expect(wait).toBeInstanceOf(Promise);
    let released = false;
    void wait!.then(() => (released = true));
    await tick(100);
    expect(released).toBe(false); // the server has acknowledged nothing yet
    while (!released) {
      gate.open();
      await tick();
    }
    expect(up.acked).toBeGreaterThanOrEqual(1); // released by acknowledgements, not by time
    const closing = up.close();
    while (up.acked < Buffer.byteLength(expected)) {
      gate.open();
      await tick();
    }
    await closing;
    expect(server.log.toString()).toBe(expected);
  });

  it("sends bytes written while a heartbeat is in flight", async () => {
    const gate = gated();
    const up = new LogUploader({ api: gate.api, jobId: 7, jobToken: "t", heartbeatMs: 50, flushDelayMs: 5 });
    while (gate.waiting.length === 0) await tick(); // the heartbeat (an empty PATCH) is in flight
    expect(gate.sizes).toEqual([0]);
    up.write(Buffer.from("written during the heartbeat\n"));
    await tick(50);
    gate.open();
    while (gate.waiting.length === 0) await tick(); // the write follows without another write or close()
    expect(gate.sizes).toEqual([0, 29]);
    gate.open();
    await up.close();
    expect(server.log.toString()).toBe("written during the heartbeat\n");
  });
});
