/**
 * A small node:http server implementing the server side of the runner contract (runner-api.ts) for
 * tests: claim, trace (offset-acknowledged, duplicate-safe, 416 on mismatch) and finish, plus
 * injectable faults for the next trace requests.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseContentRange, type JobFinish, type JobSpec } from "@minilab/contracts";

/** What the server does with the next trace request. */
export type Fault =
  | "500" // answer 500 without storing
  | "store-then-500" // store the bytes, then answer 500 (a lost acknowledgement)
  | "store-then-drop"; // store the bytes, then cut the connection

export interface FakeServer {
  url: string;
  /** The stored log; reading joins the stored chunks once (appends never copy what is stored). */
  log: Buffer;
  /** Bytes stored, without joining them. */
  readonly logSize: number;
  requests: { start: number; end: number; at: number; size: number }[];
  /** Every trace response status, in order. */
  statuses: number[];
  faults: Fault[];
  jobStatus: string;
  specs: Map<number, JobSpec>;
  finishes: { jobId: number; body: JobFinish }[];
  /** Status the trace endpoint answers with instead of processing (e.g. 403). */
  forceStatus?: number;
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  // Appends push a chunk: re-concatenating the whole log on every PATCH made a 50 MB log quadratic.
  let parts: Buffer[] = [];
  let size = 0;
  const state: Omit<FakeServer, "url" | "close"> = {
    get log(): Buffer {
      if (parts.length > 1) parts = [Buffer.concat(parts, size)];
      return parts[0] ?? Buffer.alloc(0);
    },
    set log(value: Buffer) {
      parts = [value];
      size = value.length;
    },
    get logSize(): number {
      return size;
    },
    requests: [],
    statuses: [],
    faults: [],
    jobStatus: "running",
    specs: new Map(),
    finishes: [],
  };
  const server = http.createServer((req, res) => void handle(req, res));
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.on("finish", () => {
      if (req.method === "PATCH") state.statuses.push(res.statusCode);
    });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? "";

    const claim = /^\/api\/v4\/jobs\/(\d+)\/claim$/.exec(url);
    if (req.method === "POST" && claim) {
      const spec = state.specs.get(Number(claim[1]));
      res.writeHead(spec ? 201 : 409, { "content-type": "application/json" }).end(JSON.stringify(spec ?? {}));
      return;
    }
    const finish = /^\/api\/v4\/jobs\/(\d+)$/.exec(url);
    if (req.method === "PUT" && finish) {
      const parsed = JSON.parse(body.toString()) as JobFinish;
      state.finishes.push({ jobId: Number(finish[1]), body: parsed });
      // As the server: the finish's trace is stored at its offset (bytes held already are skipped).
      if (parsed.trace && parsed.trace.offset <= state.logSize) {
        const tail = Buffer.from(parsed.trace.content, "base64").subarray(
          state.logSize - parsed.trace.offset,
        );
        state.log = Buffer.concat([state.log, tail]);
      }
      res.writeHead(200).end("{}");
      return;
    }
    if (req.method !== "PATCH" || !/\/trace$/.test(url)) {
      res.writeHead(404).end();
      return;
    }

    const range = parseContentRange(req.headers["content-range"] ?? null);
    if (!range || range.end - range.start !== body.length) {
      res.writeHead(400).end("bad range");
      return;
    }
    state.requests.push({ ...range, at: Date.now(), size: body.length });
    const headers = (): Record<string, string> => ({
      range: `0-${size}`,
      "job-status": state.jobStatus,
    });
    if (state.forceStatus) {
      res.writeHead(state.forceStatus, headers()).end();
      return;
    }
    const fault = body.length > 0 ? state.faults.shift() : undefined;
    if (fault === "500") {
      res.writeHead(500).end();
      return;
    }
    const acked = size;
    if (range.start === acked) {
      parts.push(body);
      size += body.length;
    } else if (!(range.end <= acked && state.log.subarray(range.start, range.end).equals(body))) {
      // Neither the next bytes nor an exact retry of stored ones: tell the runner where we are.
      res.writeHead(416, headers()).end();
      return;
    }
    if (fault === "store-then-500") {
      res.writeHead(500).end();
      return;
    }
    if (fault === "store-then-drop") {
      req.socket.destroy();
      return;
    }
    res.writeHead(202, headers()).end();
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake = state as FakeServer;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
