/**
 * Test harness: a bare node:http server exposing repos under a temp root through the package's
 * smart-HTTP functions (no auth, no DB), and an async git runner with an isolated config.
 * Git must run asynchronously: the server lives in this same process.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import {
  advertiseRefs,
  advertisementContentType,
  isGitService,
  repoDir,
  resultContentType,
  serviceRpc,
  type ServiceRpcResult,
} from "../src/index.ts";

export interface TestServer {
  url: string;
  root: string;
  /** Results of every finished RPC, newest last. */
  rpcs: Array<ServiceRpcResult & { service: string }>;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const root = await mkdtemp(join(tmpdir(), "minilab-git-test-repos-"));
  const rpcs: TestServer["rpcs"] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const m = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(
        url.pathname,
      );
      if (!m) return void res.writeHead(404).end();
      const dir = repoDir(root, m[1]!, m[2]!);
      const proto = req.headers["git-protocol"] as string | undefined;
      let body: ReadableStream<Uint8Array>;
      let finish: (() => Promise<void>) | null = null;
      if (m[3] === "info/refs") {
        const svc = url.searchParams.get("service");
        if (!isGitService(svc)) return void res.writeHead(403).end("dumb HTTP not supported");
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
          gitProtocol: proto ?? null,
        });
        body = rpc.stdout;
        finish = async () => void rpcs.push({ service: svc, ...(await rpc.done) });
        res.writeHead(200, { "Content-Type": resultContentType(svc), "Cache-Control": "no-cache" });
      }
      for await (const chunk of Readable.fromWeb(body as unknown as NodeWebReadableStream<Uint8Array>)) {
        if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
      }
      // Like the web route: the response ends only after ref updates are known.
      if (finish) await finish();
      res.end();
    })().catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    rpcs,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_AUTHOR_NAME: "Ada Lovelace",
  GIT_AUTHOR_EMAIL: "ada@example.test",
  GIT_COMMITTER_NAME: "Ada Lovelace",
  GIT_COMMITTER_EMAIL: "ada@example.test",
};

export function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd, env: { ...GIT_ENV, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") return reject(new Error(err.message, { cause: err }));
        resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
      },
    );
  });
}

/** Runs git and fails the test with its stderr on a non-zero exit. */
export async function gitOk(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await git(cwd, args, env);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

export const ZERO = "0".repeat(40);
