/**
 * The runner API's per-job requests — claim, finish, log upload — answered by the Node dispatcher
 * (node-routes.ts) instead of Next: they are most of a job's dispatch cost on the web side, and
 * Next's per-request machinery was most of theirs. The handlers are runner-api.ts's, shared with
 * the Next routes `app/api/v4/jobs/[id]/…`, which stay as the fallback (and answer every request
 * this matcher declines: other methods, non-numeric ids, trailing slashes…).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHeader, registerNodeRoute } from "./node-routes.ts";
import {
  claimReply,
  finishReply,
  traceReply,
  type RunnerApiReply,
  type RunnerApiRequest,
} from "./runner-api.ts";

// Only plain digits as the id: anything else (percent-encoding, dot segments) is left to Next.
const PATH = /^\/api\/v4\/jobs\/(\d+)(\/claim|\/trace)?(?:\?.*)?$/;

type Handler = (rawId: string, req: RunnerApiRequest) => Promise<RunnerApiReply>;

function handlerFor(req: IncomingMessage): { id: string; handler: Handler } | null {
  const url = req.url;
  if (url === undefined || !url.startsWith("/api/v4/jobs/")) return null;
  const m = PATH.exec(url);
  if (!m) return null;
  const id = m[1] ?? "";
  const method = req.method;
  if (m[2] === "/claim") return method === "POST" ? { id, handler: claimReply } : null;
  if (m[2] === "/trace") return method === "PATCH" ? { id, handler: traceReply } : null;
  return method === "PUT" ? { id, handler: finishReply } : null;
}

/** Reads the body; stops collecting (and discards the rest) once it is longer than `max`. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length > max) {
        req.off("data", onData).off("end", onEnd).off("error", onError);
        req.resume();
        resolve(Buffer.concat(chunks, length));
      }
    };
    const onEnd = () => resolve(Buffer.concat(chunks, length));
    const onError = (e: Error) => reject(e);
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

function nodeRunnerRequest(req: IncomingMessage): RunnerApiRequest {
  return {
    header: (name) => nodeHeader(req, name),
    bytes: (max) => readBody(req, max),
  };
}

function send(res: ServerResponse, r: RunnerApiReply): void {
  if (r.json === undefined) {
    res.writeHead(r.status, { ...r.headers, "Content-Length": "0" }).end();
    return;
  }
  const body = Buffer.from(JSON.stringify(r.json));
  res
    .writeHead(r.status, {
      ...r.headers,
      "Content-Type": "application/json",
      "Content-Length": String(body.length),
    })
    .end(body);
}

async function serveRunnerApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = handlerFor(req);
  try {
    if (!route) throw new Error(`runner API: unmatched ${req.method} ${req.url}`);
    send(res, await route.handler(route.id, nodeRunnerRequest(req)));
  } catch (e) {
    // The handlers answer every error themselves (a body stream that broke off included as a 500).
    console.error(e);
    if (!res.headersSent) res.writeHead(500, { "Content-Length": "0" }).end();
    else res.destroy();
  }
}

export function installRunnerApiServer(): void {
  registerNodeRoute({
    name: "runner-api",
    match: (req) => handlerFor(req) !== null,
    serve: serveRunnerApi,
  });
}
