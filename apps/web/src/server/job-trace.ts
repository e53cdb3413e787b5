/**
 * The live job log over SSE, exact to the byte.
 *
 * Order of operations (why no byte is lost or sent twice):
 *  1. subscribe to the job's log channel and the project's status channel;
 *  2. only then read the stored log from the client's offset (`Last-Event-ID`) and send it;
 *  3. forward live LogEvents, skipping bytes below what was already consumed; a gap (events missed
 *     while disconnected from Redis) is filled from Postgres, which always holds published bytes.
 * All of this runs on one promise chain, so events are applied in arrival order even when a step
 * awaits the database.
 *
 * Event ids are byte offsets at UTF-8 character boundaries: an incomplete multi-byte tail is held
 * back until its remaining bytes arrive, so a reconnect resumes exactly at a character start.
 * A final job status closes the stream after the rest of the log (complete in Postgres once the
 * job has finished) has been sent; the client closes its EventSource on that status.
 */
import { LogEvent, StatusEvent } from "@minilab/contracts";
import { liveChannels } from "@minilab/queue";
import { getJob, isFinishedStatus, readJobLog } from "@minilab/core";
import { getDb } from "@minilab/db";
import { completeUtf8Length } from "../lib/utf8";
import { listen } from "./live-hub";
import type { SseSink } from "./sse";

export interface JobTraceOptions {
  projectId: number;
  jobId: number;
  /** Byte offset the client already has. */
  from: number;
}

export async function streamJobTrace(sink: SseSink, opts: JobTraceOptions): Promise<() => void> {
  const db = getDb();
  const { jobId, projectId } = opts;
  const decoder = new TextDecoder("utf-8");
  /** Bytes delivered to the client (always at a character boundary). */
  let sent = opts.from;
  /** Bytes received but not yet delivered: an incomplete character at offset `sent`. */
  let carry: Buffer = Buffer.alloc(0);
  const consumed = () => sent + carry.length;

  const emit = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    const all = carry.length ? Buffer.concat([carry, bytes]) : bytes;
    const cut = completeUtf8Length(all);
    carry = Buffer.from(all.subarray(cut));
    if (cut === 0) return;
    sent += cut;
    sink.send({ event: "log", id: sent, data: decoder.decode(all.subarray(0, cut)) });
  };

  const catchUp = async () => emit(await readJobLog({ db, jobId, from: consumed() }));

  const onLog = async (raw: string) => {
    const parsed = LogEvent.safeParse(JSON.parse(raw));
    if (!parsed.success) return;
    const bytes = Buffer.from(parsed.data.data, "base64");
    const start = parsed.data.offset;
    if (start + bytes.length <= consumed()) return;
    if (start > consumed()) await catchUp();
    if (start + bytes.length > consumed()) emit(bytes.subarray(consumed() - start));
  };

  const onStatus = async (status: string) => {
    if (isFinishedStatus(status)) {
      await catchUp();
      if (carry.length) {
        // The log ended inside a character: deliver what there is rather than hold it forever.
        sent += carry.length;
        sink.send({ event: "log", id: sent, data: decoder.decode(carry) });
        carry = Buffer.alloc(0);
      }
      sink.send({ event: "status", data: { status, final: true } });
      sink.close();
    } else {
      sink.send({ event: "status", data: { status, final: false } });
    }
  };

  let chain: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    chain = chain.then(async () => {
      if (sink.closed) return;
      try {
        await task();
      } catch (e) {
        console.error(`job ${jobId} trace stream failed`, e);
        sink.close();
      }
    });
  };

  const stops: (() => void)[] = [];
  const cleanup = () => stops.forEach((s) => s());
  try {
    stops.push(await listen(liveChannels().jobLog(jobId), (m) => enqueue(() => onLog(m))));
    stops.push(
      await listen(liveChannels().projectStatus(projectId), (m) => {
        const ev = StatusEvent.safeParse(JSON.parse(m));
        if (ev.success && ev.data.kind === "job" && ev.data.id === jobId)
          enqueue(() => onStatus(ev.data.status));
      }),
    );
  } catch (e) {
    cleanup();
    throw e;
  }
  enqueue(async () => {
    const job = await getJob({ db, projectId, jobId });
    if (!job) return sink.close();
    await catchUp();
    await onStatus(job.status);
  });
  return cleanup;
}
