/**
 * Server-sent events plumbing for route handlers: a stream with `send`, comment heartbeats (so
 * proxies keep idle connections open) and one cleanup path for client disconnects and server close.
 */
const HEARTBEAT_MS = 15_000;

export interface SseSink {
  /** Sends one event; `data` is JSON-encoded so it never contains a raw newline. */
  send(event: { event?: string; id?: string | number; data: unknown }): void;
  /** Ends the stream (idempotent). */
  close(): void;
  readonly closed: boolean;
}

/**
 * `start` runs once the stream exists; it returns a cleanup that runs exactly once, whether the
 * client went away (request.signal) or the server closed the stream.
 */
export function sseResponse(
  signal: AbortSignal,
  start: (sink: SseSink) => Promise<(() => void) | void>,
): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;

  const close = () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    signal.removeEventListener("abort", close);
    try {
      cleanup?.();
    } catch (e) {
      console.error("sse cleanup failed", e);
    }
    try {
      controllerRef?.close();
    } catch {
      // already closed by the runtime after a disconnect
    }
  };

  const write = (text: string) => {
    if (closed || !controllerRef) return;
    try {
      controllerRef.enqueue(encoder.encode(text));
    } catch {
      close();
    }
  };

  const sink: SseSink = {
    send({ event, id, data }) {
      let frame = "";
      if (event) frame += `event: ${event}\n`;
      if (id !== undefined) frame += `id: ${id}\n`;
      frame += `data: ${JSON.stringify(data)}\n\n`;
      write(frame);
    },
    close,
    get closed() {
      return closed;
    },
  };

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controllerRef = controller;
      if (signal.aborted) return close();
      signal.addEventListener("abort", close);
      // Reconnect delay the browser uses if the connection drops.
      write("retry: 2000\n\n");
      heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      try {
        const c = await start(sink);
        if (c) {
          if (closed) c();
          else cleanup = c;
        }
      } catch (e) {
        console.error("sse stream failed", e);
        close();
      }
    },
    cancel() {
      close();
    },
  });

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      // nginx: do not buffer the stream
      "X-Accel-Buffering": "no",
    },
  });
}
