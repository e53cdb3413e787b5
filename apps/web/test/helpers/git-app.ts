/**
 * Test harness for the git routes against real Postgres and the real core: an in-process node:http
 * server that maps URLs like the App Router does onto apps/web/src/server/git-http.ts, plus
 * git CLI helpers with an isolated config. The test file must mock `@minilab/db`'s getDb to return
 * its test database (vi.mock is per test file) before importing this module.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { createUser, resetCoreConfig } from "@minilab/core";
import type { Db, User } from "@minilab/db";
import { gitInfoRefs, gitServiceRpc } from "../../src/server/git-http.ts";

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_AUTHOR_NAME: "Ada",
  GIT_AUTHOR_EMAIL: "ada@example.test",
  GIT_COMMITTER_NAME: "Ada",
  GIT_COMMITTER_EMAIL: "ada@example.test",
};

/** Runs git asynchronously (the server lives in this process) and never rejects on exit codes. */
export function git(cwd: string, args: string[]): Promise<GitRun> {
  return new Promise((resolve, reject) =>
    execFile(
      "git",
      args,
      { cwd, env: { ...process.env, ...GIT_ENV }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") return reject(new Error(err.message, { cause: err }));
        resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
      },
    ),
  );
}

export async function gitOk(cwd: string, args: string[]): Promise<string> {
  const r = await git(cwd, args);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

async function route(req: Request): Promise<Response> {
  const m = /^\/([^/]+)\/([^/]+)\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(
    new URL(req.url).pathname,
  );
  if (!m) return new Response("no route", { status: 404 });
  const params = Promise.resolve({
    namespace: decodeURIComponent(m[1]!),
    project: decodeURIComponent(m[2]!),
  });
  if (m[3] === "info/refs")
    return req.method === "GET" ? gitInfoRefs(req, params) : new Response(null, { status: 405 });
  return gitServiceRpc(req, params, m[3] as "git-upload-pack" | "git-receive-pack");
}

export interface GitApp {
  base: string;
  /** Scratch directory (clones, seeds); removed by close(). */
  tmp: string;
  dataDir: string;
  /** `http://user:password@host/<path>` (no credentials for null). */
  url(cred: string | null, path: string): string;
  close(): Promise<void>;
}

/** Starts the server with MINILAB_DATA_DIR pointing at a fresh directory. */
export async function startGitApp(): Promise<GitApp> {
  const tmp = await mkdtemp(join(tmpdir(), "minilab-git-app-"));
  process.env["MINILAB_DATA_DIR"] = join(tmp, "data");
  resetCoreConfig();
  const server: Server = createServer((nreq, nres) => {
    const hasBody = nreq.method !== "GET" && nreq.method !== "HEAD";
    const req = new Request(`http://localhost${nreq.url}`, {
      method: nreq.method,
      headers: nreq.headers,
      ...(hasBody ? { body: Readable.toWeb(nreq) as unknown as ReadableStream, duplex: "half" } : {}),
    } as RequestInit);
    void route(req)
      .then(async (res) => {
        nres.writeHead(res.status, Object.fromEntries(res.headers));
        if (res.body)
          for await (const c of Readable.fromWeb(res.body as unknown as NodeWebReadableStream)) {
            if (!nres.write(c)) await new Promise((r) => nres.once("drain", r));
          }
        nres.end();
      })
      .catch((e: unknown) => {
        console.error(e);
        if (!nres.headersSent) nres.writeHead(599);
        nres.end();
      });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    tmp,
    dataDir: join(tmp, "data"),
    url: (cred, path) => `${base.replace("://", `://${cred ? `${cred}@` : ""}`)}/${path}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(tmp, { recursive: true, force: true });
      delete process.env["MINILAB_DATA_DIR"];
      resetCoreConfig();
    },
  };
}

export const mkUser = (db: Db, username: string, isAdmin = false): Promise<User> =>
  createUser({ db, username, email: `${username}@example.test`, password: `${username}-pw-1`, isAdmin });

export const cred = (u: User): string => `${u.username}:${u.username}-pw-1`;

/** A fresh clone (as `who`) with one new commit on top of `branch` (created if missing). */
export async function commitOnTop(app: GitApp, who: string, path: string, branch = "main"): Promise<string> {
  const dir = await mkdtemp(join(app.tmp, "work-"));
  await gitOk(app.tmp, ["clone", "-q", app.url(who, path), dir]);
  const has = await git(dir, ["rev-parse", "--verify", "-q", `origin/${branch}`]);
  if (has.code === 0) await gitOk(dir, ["checkout", "-q", "-B", branch, `origin/${branch}`]);
  else await gitOk(dir, ["checkout", "-q", "-B", branch]);
  await writeFile(join(dir, `f-${Math.random().toString(36).slice(2)}.txt`), "x\n");
  await gitOk(dir, ["add", "."]);
  await gitOk(dir, ["commit", "-q", "-m", `commit on ${branch}`]);
  return dir;
}

/** `git fsck --strict` of the project's bare repository: output when it is not clean, else "". */
export async function fsck(app: GitApp, namespace: string, path: string): Promise<string> {
  const r = await git(app.tmp, [
    "-C",
    join(app.dataDir, "repos", namespace, `${path}.git`),
    "fsck",
    "--strict",
    "--no-dangling",
  ]);
  return r.code === 0 ? "" : `${r.code}: ${r.stdout}${r.stderr}`;
}
