/**
 * A runner process of our own for tests and benches that kill, restart or load a runner (the stack's
 * runner is not ours to stop). Registered with a unique tag and `run_untagged` off, so it takes only
 * the jobs that carry its tag, and the stack's runner never takes them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { registerRunner } from "@minilab/core";
import type { Db } from "@minilab/db";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

export interface RunnerProcess {
  id: number;
  tag: string;
  start(): void;
  /** SIGKILL: a crash, no chance to report anything. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/** `env` adds runner settings, e.g. `{ MINILAB_RUNNER_EXECUTOR: "fake" }`. */
export async function runnerProcess(
  db: Db,
  tag: string,
  env: Record<string, string> = {},
): Promise<RunnerProcess> {
  const { runner, token } = await registerRunner({ db, tags: [tag], runUntagged: false, description: tag });
  const builds = await mkdtemp(path.join(tmpdir(), "minilab-runner-"));
  let child: ChildProcess | undefined;
  let out = "";
  const exited = (c: ChildProcess): Promise<void> =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => c.once("exit", () => r()));
  return {
    id: runner.id,
    tag,
    start() {
      child = spawn(process.execPath, ["--import", "tsx", "apps/runner/src/main.ts"], {
        cwd: ROOT,
        env: {
          ...process.env,
          MINILAB_URL: process.env["MINILAB_WEB_URL"],
          MINILAB_RUNNER_TOKEN: token,
          MINILAB_RUNNER_TAGS: tag,
          MINILAB_RUNNER_RUN_UNTAGGED: "false",
          MINILAB_RUNNER_NETWORK_MODE: "none",
          MINILAB_RUNNER_BUILDS_DIR: builds,
          MINILAB_RUNNER_NAME: `test-${tag}`,
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    },
    async crash() {
      if (!child) return;
      child.kill("SIGKILL");
      await exited(child);
    },
    async stop() {
      if (!child) return;
      child.kill("SIGTERM");
      await exited(child);
    },
    output: () => out,
  };
}
