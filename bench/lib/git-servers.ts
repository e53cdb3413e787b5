/**
 * The HTTP servers the throughput bench compares, each run as its own process so its peak RSS
 * can be read from /proc: `minilab` serves through packages/git's advertiseRefs/serviceRpc the way
 * the web app's git routes do; `http-backend` runs `git http-backend` as CGI. Both serve every
 * bare repository under `root` at `/<ns>/<name>.git/...` without auth.
 *
 * Child entry: `node --import tsx bench/lib/git-servers.ts <minilab|http-backend> <root>`; prints the
 * port on stdout.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import {
  advertiseRefs,
  advertisementContentType,
  isGitService,
  repoDir,
  resultContentType,
  serviceRpc,
} from "@minilab/git";

const ROUTE = /^\/([^/]+)\/([^/]+?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;

async function minilab(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://x");
  const m = ROUTE.exec(url.pathname);
  if (!m) return void res.writeHead(404).end();
  const dir = repoDir(root, m[1]!, m[2]!);
  const proto = (req.headers["git-protocol"] as string | undefined) ?? null;
  let body: ReadableStream<Uint8Array>;
  let done: Promise<unknown> | null = null;
  if (m[3] === "info/refs") {
    const svc = url.searchParams.get("service");
    if (!isGitService(svc)) return void res.writeHead(403).end();
    body = await advertiseRefs(svc, dir, proto);
    res.writeHead(200, { "Content-Type": advertisementContentType(svc), "Cache-Control": "no-cache" });
  } else {
    const svc = m[3];
    if (!isGitService(svc)) return void res.writeHead(404).end();
    const rpc = await serviceRpc({
      service: svc,
      dir,
      body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>,
      contentEncoding: req.headers["content-encoding"] ?? null,
      gitProtocol: proto,
    });
    body = rpc.stdout;
    done = rpc.done;
    res.writeHead(200, { "Content-Type": resultContentType(svc), "Cache-Control": "no-cache" });
  }
  for await (const chunk of Readable.fromWeb(body as unknown as NodeWebReadableStream<Uint8Array>)) {
    if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
  }
  if (done) await done; // as the route: respond fully only once ref updates are known
  res.end();
}

function httpBackend(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://x");
  const h = (k: string) => (req.headers[k] as string | undefined) ?? "";
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    REMOTE_USER: "bench",
    REMOTE_ADDR: "127.0.0.1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: url.pathname,
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: h("content-type"),
    ...(h("content-length") ? { CONTENT_LENGTH: h("content-length") } : {}),
    HTTP_CONTENT_ENCODING: h("content-encoding"),
    HTTP_GIT_PROTOCOL: h("git-protocol"),
  };
  const child = spawn("git", ["http-backend"], { env: { ...process.env, ...env } });
  req.pipe(child.stdin);
  child.stdin.on("error", () => {});
  let head = Buffer.alloc(0);
  let sent = false;
  child.stdout.on("data", (b: Buffer) => {
    if (sent) {
      if (!res.write(b)) {
        child.stdout.pause();
        res.once("drain", () => child.stdout.resume());
      }
      return;
    }
    head = Buffer.concat([head, b]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const i = line.indexOf(":");
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === "status") status = Number(v.split(" ")[0]);
      else headers[k] = v;
    }
    res.writeHead(status, headers);
    sent = true;
    const rest = head.subarray(end + 4);
    if (rest.length) res.write(rest);
  });
  child.on("close", () => res.end());
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  const [kind, root] = process.argv.slice(2);
  if (!root || (kind !== "minilab" && kind !== "http-backend")) throw new Error("usage: <kind> <root>");
  const server = createServer((req, res) => {
    if (kind === "http-backend") return httpBackend(root, req, res);
    minilab(root, req, res).catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
}
