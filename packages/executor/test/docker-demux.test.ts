/**
 * The attach-stream reader: Docker's 8-byte-header frames come out as the exact stdout/stderr bytes
 * however the socket splits them, and a sink that returns a promise stops the reading (nothing more
 * is pulled from the stream until it settles) without losing a byte.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { pumpAttachStream } from "../src/docker-demux.ts";

const frame = (type: 1 | 2, payload: string): Buffer => {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe("pumpAttachStream", () => {
  it("yields the payloads in order for every split of the frames", async () => {
    const wire = Buffer.concat([
      frame(1, "hello "),
      frame(2, "from stderr\n"),
      frame(1, ""),
      frame(1, "bye\n"),
    ]);
    for (let cut = 1; cut < wire.length; cut++) {
      const parts = [wire.subarray(0, cut), ...chunks(wire.subarray(cut), 3)];
      const got: Buffer[] = [];
      await pumpAttachStream(Readable.from(parts), (b) => void got.push(b)).done;
      expect(Buffer.concat(got).toString()).toBe("hello from stderr\nbye\n");
    }
  });

  it("reads nothing more while the sink's promise is pending", async () => {
    let pulled = 0;
    const frames = Array.from({ length: 50 }, (_, i) => frame(1, `line ${i}\n`));
    const stream = Readable.from(
      (function* () {
        for (const f of frames) {
          pulled++;
          yield f;
        }
      })(),
      { highWaterMark: 1 },
    );
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: string[] = [];
    const pump = pumpAttachStream(stream, (b) => {
      got.push(b.toString());
      return got.length === 3 ? gate : undefined;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(pump.waiting).toBe(true);
    expect(got).toHaveLength(3);
    // The stream's own read-ahead is bounded by its highWaterMark; the rest stays unread.
    expect(pulled).toBeLessThan(8);
    release();
    await pump.done;
    expect(got.join("")).toBe(frames.map((_, i) => `line ${i}\n`).join(""));
    expect(pulled).toBe(50);
  });
});

function chunks(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}
