/**
 * Git smart HTTP, the way `git http-backend` does it: the web layer authenticates, then hands the
 * raw request body to `git <service> --stateless-rpc` and streams stdout back. Nothing here buffers
 * a pack: request bytes flow body → (gunzip) → git stdin, response bytes flow git stdout → caller,
 * both with backpressure.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import { GitInputError } from "./errors.ts";
import { ensureHooksDir } from "./hooks.ts";
import { FLUSH_PKT, pktLine } from "./pkt-line.ts";
import { consumePushLog, newPushLogPath, type RefUpdate } from "./push-log.ts";
import type { PushPolicy } from "./push-policy.ts";

export type GitService = "git-upload-pack" | "git-receive-pack";

export const GIT_SERVICES: readonly GitService[] = ["git-upload-pack", "git-receive-pack"];

export function isGitService(s: unknown): s is GitService {
  return s === "git-upload-pack" || s === "git-receive-pack";
}

/** Content types of the smart HTTP protocol (gitprotocol-http(5)). */
export const advertisementContentType = (s: GitService): string => `application/x-${s}-advertisement`;
export const requestContentType = (s: GitService): string => `application/x-${s}-request`;
export const resultContentType = (s: GitService): string => `application/x-${s}-result`;

/** `Git-Protocol` is forwarded to git as GIT_PROTOCOL; only the documented key=value[:key=value] shape. */
const GIT_PROTOCOL = /^[A-Za-z0-9._=:-]{1,256}$/;

function gitEnv(gitProtocol: string | null | undefined, extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // Never let the web process's own environment point git at another repository.
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  if (gitProtocol && GIT_PROTOCOL.test(gitProtocol)) env.GIT_PROTOCOL = gitProtocol;
  else delete env.GIT_PROTOCOL;
  return env;
}

/** Like http-backend: with protocol v2 the client expects no `# service=` preamble. */
const wantsV2 = (gitProtocol: string | null | undefined): boolean =>
  !!gitProtocol && GIT_PROTOCOL.test(gitProtocol) && gitProtocol.split(":").includes("version=2");

async function assertRepo(dir: string): Promise<void> {
  try {
    await stat(join(dir, "HEAD"));
  } catch {
    throw new GitInputError("not_found", "Repository not found");
  }
}

/** Keeps the last few KB of stderr for error messages without growing unboundedly. */
function collectStderr(child: ChildProcessWithoutNullStreams): () => string {
  let tail = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s: string) => {
    tail = (tail + s).slice(-8192);
  });
  return () => tail;
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    // 'close' (not 'exit'): all stdio is flushed, so the hook's log file is complete too.
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Turns a child's stdout into a web stream (prefixed by `prefix`), pulling only when the consumer
 * wants more. Cancelling the stream (client went away) kills git. A non-zero exit errors the stream
 * when `failOnExit` is set, so a truncated advertisement is not mistaken for a complete one.
 */
function stdoutStream(
  child: ChildProcessWithoutNullStreams,
  prefix: Uint8Array[],
  exited: Promise<number> | null,
  stderr: () => string,
): ReadableStream<Uint8Array> {
  const it = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of prefix) controller.enqueue(p);
    },
    async pull(controller) {
      const r = await it.next();
      if (!r.done) return controller.enqueue(r.value);
      const code = exited ? await exited : 0;
      if (code !== 0) controller.error(new Error(`git exited ${code}: ${stderr().trim()}`));
      else controller.close();
    },
    cancel() {
      child.kill();
    },
  });
}

/**
 * receive-pack advertises `push-options`, so `git push -o …` reaches the hooks; upload-pack allows
 * partial-clone filters (`git clone --filter=blob:none`), as GitLab does.
 */
const serviceConfig = (service: GitService): string[] =>
  service === "git-receive-pack"
    ? ["-c", "receive.advertisePushOptions=true"]
    : ["-c", "uploadpack.allowFilter=true"];

/**
 * Body of `GET info/refs?service=<service>`: the `# service=` pkt-line + flush (omitted for
 * protocol v2, as http-backend does), then `git <svc> --stateless-rpc --advertise-refs`.
 * Throws GitInputError("not_found") when `dir` is not a repository.
 */
export async function advertiseRefs(
  service: GitService,
  dir: string,
  gitProtocol?: string | null,
): Promise<ReadableStream<Uint8Array>> {
  if (!isGitService(service))
    throw new GitInputError("invalid_input", `Unsupported service: ${String(service)}`);
  await assertRepo(dir);
  const child = spawn(
    "git",
    [...serviceConfig(service), service.slice(4), "--stateless-rpc", "--advertise-refs", dir],
    {
      env: gitEnv(gitProtocol),
    },
  );
  child.stdin.end();
  const stderr = collectStderr(child);
  const exited = exitCode(child);
  exited.catch(() => {}); // surfaced through the stream instead
  const prefix = wantsV2(gitProtocol) ? [] : [pktLine(`# service=${service}\n`), FLUSH_PKT];
  return stdoutStream(child, prefix, exited, stderr);
}

export interface ServiceRpcOptions {
  service: GitService;
  /** Bare repository directory (see repoDir). */
  dir: string;
  /** The raw HTTP request body; streamed, never buffered. */
  body: ReadableStream<Uint8Array>;
  /** `Content-Encoding` header; `gzip`/`x-gzip` bodies are inflated on the fly. */
  contentEncoding?: string | null;
  /** `Git-Protocol` header, forwarded as GIT_PROTOCOL (protocol v2). */
  gitProtocol?: string | null;
  /** Extra environment for git (and hooks). */
  env?: Record<string, string>;
  /** receive-pack only: branch protection the pre-receive hook enforces. @defaultValue none (allow all) */
  pushPolicy?: PushPolicy;
  /**
   * Most request-body bytes (after gzip inflation) fed to git; past it git is killed and `done`
   * reports `tooLarge`. Receive-pack runs in a quarantine, so no ref changes. @defaultValue unlimited
   */
  maxBodyBytes?: number;
}

export interface ServiceRpcResult {
  /** git's exit code; non-zero means the request failed (refs listed in refUpdates still changed). */
  code: number;
  /** receive-pack only: ref updates git accepted and applied, in its order. Always [] for upload-pack. */
  refUpdates: RefUpdate[];
  /** receive-pack only: `git push -o` values git accepted with the push (only when refs changed). */
  pushOptions: string[];
  /** The body went past `maxBodyBytes` and git was stopped. */
  tooLarge: boolean;
  /** Tail of git's stderr, for logs. */
  stderr: string;
}

export interface ServiceRpc {
  /** git's stdout: the response body (`application/x-<service>-result`). */
  stdout: ReadableStream<Uint8Array>;
  /**
   * Settles after git exited and (receive-pack) the push log was read. Resolves even when git
   * failed; rejects only if git could not be started or the log was unreadable.
   */
  done: Promise<ServiceRpcResult>;
  /**
   * Whether the body has gone past `maxBodyBytes` so far. Set before git's stdin is closed, so a
   * caller that sees git's first output can tell a cut-off upload from git's own refusal.
   */
  tooLarge(): boolean;
}

/** Passes bytes through until more than `max` went by, then fails the pipeline (killing git). */
function byteLimit(max: number, onExceeded: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) {
        onExceeded();
        return cb(new GitInputError("invalid_input", `Request body larger than ${max} bytes`));
      }
      cb(null, chunk);
    },
  });
}

function decoder(contentEncoding: string | null | undefined): Transform | null {
  const enc = (contentEncoding ?? "").trim().toLowerCase();
  if (enc === "" || enc === "identity") return null;
  if (enc === "gzip" || enc === "x-gzip") return createGunzip();
  throw new GitInputError("invalid_input", `Unsupported Content-Encoding: ${enc}`);
}

/**
 * `POST /<service>`: spawns `git <svc> --stateless-rpc <dir>` and wires the request body to its
 * stdin. The caller must consume `stdout` (git blocks when the pipe is full) and may await `done`.
 */
export async function serviceRpc(opts: ServiceRpcOptions): Promise<ServiceRpc> {
  const { service, dir } = opts;
  if (!isGitService(service))
    throw new GitInputError("invalid_input", `Unsupported service: ${String(service)}`);
  const gunzip = decoder(opts.contentEncoding);
  await assertRepo(dir);

  const isPush = service === "git-receive-pack";
  const args = [...serviceConfig(service), service.slice(4), "--stateless-rpc", dir];
  const extraEnv: Record<string, string> = { ...opts.env };
  let pushLog: string | null = null;
  if (isPush) {
    pushLog = await newPushLogPath();
    args.unshift("-c", `core.hooksPath=${await ensureHooksDir()}`);
    extraEnv.MINILAB_PUSH_LOG = pushLog;
    if (opts.pushPolicy) extraEnv.MINILAB_PUSH_POLICY = JSON.stringify(opts.pushPolicy);
  }

  const child = spawn("git", args, { env: gitEnv(opts.gitProtocol, extraEnv) });
  const stderr = collectStderr(child);
  const exited = exitCode(child);

  // A client that aborts mid-upload, or a corrupt gzip stream, must not leave git waiting on stdin
  // forever: kill it; `done` then reports the non-zero exit. EPIPE after git exited early is benign.
  const source = Readable.fromWeb(opts.body as unknown as NodeWebReadableStream<Uint8Array>);
  let tooLarge = false;
  const limit = byteLimit(opts.maxBodyBytes ?? Infinity, () => (tooLarge = true));
  const input = gunzip
    ? pipeline(
        source,
        limit,
        gunzip,
        byteLimit(opts.maxBodyBytes ?? Infinity, () => (tooLarge = true)),
        child.stdin,
      )
    : pipeline(source, limit, child.stdin);
  input.catch(() => {
    if (child.exitCode === null) child.kill();
  });

  const done = (async (): Promise<ServiceRpcResult> => {
    try {
      const code = await exited;
      const log = pushLog ? await consumePushLog(pushLog) : { updates: [], pushOptions: [] };
      return { code, refUpdates: log.updates, pushOptions: log.pushOptions, tooLarge, stderr: stderr() };
    } finally {
      // consumePushLog deletes on success; this covers a failed read or a spawn error.
      if (pushLog) await rm(pushLog, { force: true });
    }
  })();
  // Callers that only stream stdout must not crash the process with an unhandled rejection;
  // anyone awaiting `done` still sees the error.
  done.catch(() => {});
  // stdout must not error on exit code: the body git wrote (e.g. a report-status with rejections)
  // is the protocol answer the client needs to see.
  return { stdout: stdoutStream(child, [], null, stderr), done, tooLarge: () => tooLarge };
}
