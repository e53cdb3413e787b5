/**
 * Long-running children (postgres, redis-server, dockerd, next, runner) and one-shot commands.
 *
 * Services run in their own process group (`detached`) so a terminal Ctrl-C reaches only the
 * orchestrator, which then stops them in dependency order (web and runner before Postgres). If the
 * orchestrator dies unexpectedly, the `exit` hook in shutdown.ts kills what is left synchronously.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Why it exited, or undefined while it runs (for readiness checks to fail fast). */
  exited(): string | undefined;
  /** Sends `signal`, waits up to `timeoutMs`, then SIGKILLs the whole group. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

export interface LaunchOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
}

export function launch(o: LaunchOptions): ManagedProcess {
  mkdirSync(path.dirname(o.logFile), { recursive: true });
  const out = createWriteStream(o.logFile, { flags: "a" });
  out.write(`\n--- ${new Date().toISOString()} ${o.command} ${o.args.join(" ")}\n`);
  const opts: SpawnOptions = { cwd: o.cwd, env: o.env, detached: true, stdio: ["ignore", "pipe", "pipe"] };
  if (o.uid !== undefined) opts.uid = o.uid;
  if (o.gid !== undefined) opts.gid = o.gid;
  const child = spawn(o.command, o.args, opts);
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  let exitReason: string | undefined;
  const exitedP = new Promise<void>((resolve) => {
    child.once("error", (e) => {
      exitReason = `failed to start: ${e.message}`;
      resolve();
    });
    child.once("exit", (code, signal) => {
      exitReason = `exited (${signal ?? `code ${code}`}); see ${o.logFile}`;
      resolve();
    });
  });
  void exitedP.then(() => setTimeout(() => out.end(), 100));
  return {
    name: o.name,
    child,
    logFile: o.logFile,
    exited: () => exitReason,
    async stop(signal = "SIGTERM", timeoutMs = 20_000) {
      if (exitReason || child.pid === undefined) return;
      signalGroup(child.pid, signal);
      const timer = setTimeout(() => child.pid !== undefined && signalGroup(child.pid, "SIGKILL"), timeoutMs);
      await exitedP;
      clearTimeout(timer);
    },
  };
}

/** Signals the process group led by `pid`, falling back to the process itself. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  /** stdout and stderr interleaved, for error messages. */
  output: string;
}

/**
 * Runs a command to completion. `inherit` streams its output to ours (test steps); otherwise the
 * output is captured and returned (and included in the error when `check` is set).
 */
export function run(
  command: string,
  args: string[],
  o: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    inherit?: boolean;
    input?: NodeJS.ReadableStream;
    uid?: number;
    gid?: number;
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const opts: SpawnOptions = {
      cwd: o.cwd,
      env: o.env,
      stdio: [o.input ? "pipe" : "ignore", o.inherit ? "inherit" : "pipe", o.inherit ? "inherit" : "pipe"],
    };
    if (o.uid !== undefined) opts.uid = o.uid;
    if (o.gid !== undefined) opts.gid = o.gid;
    const child = spawn(command, args, opts);
    let output = "";
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    if (o.input && child.stdin) o.input.pipe(child.stdin);
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code: code ?? 128 + (signal ? 1 : 0), stdout, output }));
  });
}

/** `run`, throwing with the captured output when the command fails. */
export async function runChecked(
  command: string,
  args: string[],
  o: Parameters<typeof run>[2] = {},
): Promise<string> {
  const r = await run(command, args, o);
  if (r.code !== 0)
    throw new Error(`\`${command} ${args.join(" ")}\` failed (exit ${r.code}):\n${r.output.trim()}`);
  return r.stdout;
}
