/**
 * Reads Docker's multiplexed attach stream (`Tty: false`) into one output sink, with backpressure.
 *
 * Frames are an 8-byte header (stream type: 1 stdout, 2 stderr; 3 zero bytes; big-endian payload
 * length) followed by the payload. docker-modem's `demuxStream` ignores the return value of the
 * writes it makes and re-concatenates its whole carry-over buffer on every chunk; this reader passes
 * payload slices of the socket's own chunks through (no copy, also for frames split across chunks)
 * and reads the next chunk only after the sink's promise settles — meanwhile the socket is not read,
 * so the daemon stops copying and the job's writes block once the pipes fill. Nothing is dropped.
 */
import { backpressure } from "./output-sink.ts";
import type { OutputSink } from "./types.ts";

export interface AttachPump {
  /** Settles when the stream ended, failed or was destroyed; never rejects. */
  done: Promise<void>;
  /** True while the sink's promise is pending (the stream is deliberately not read). */
  readonly waiting: boolean;
  /** `Date.now()` of the last chunk read, the end of the last wait, or the start. */
  readonly lastReadAt: number;
}

export function pumpAttachStream(stream: AsyncIterable<Buffer>, sink: OutputSink): AttachPump {
  const state = { waiting: false, lastReadAt: Date.now() };
  const header = Buffer.alloc(8);
  let headerFill = 0;
  let remaining = 0; // payload bytes of the current frame still to come
  const run = async (): Promise<void> => {
    for await (const chunk of stream) {
      state.lastReadAt = Date.now();
      let off = 0;
      while (off < chunk.length) {
        if (remaining === 0) {
          const n = Math.min(8 - headerFill, chunk.length - off);
          chunk.copy(header, headerFill, off, off + n);
          headerFill += n;
          off += n;
          if (headerFill === 8) {
            remaining = header.readUInt32BE(4);
            headerFill = 0;
          }
          continue;
        }
        const n = Math.min(remaining, chunk.length - off);
        const wait = backpressure(sink(chunk.subarray(off, off + n)));
        remaining -= n;
        off += n;
        if (wait) {
          state.waiting = true;
          await Promise.resolve(wait).catch(() => undefined);
          state.waiting = false;
          state.lastReadAt = Date.now(); // idle time starts now, not at the read before the wait
        }
      }
    }
  };
  return {
    done: run().catch(() => undefined),
    get waiting() {
      return state.waiting;
    },
    get lastReadAt() {
      return state.lastReadAt;
    },
  };
}
