/**
 * A runner process of our own for tests and benches that kill, restart or load a runner (the stack's
 * runner is not ours to stop). It is registered with a unique tag and `run_untagged` off, so it takes
 * only the jobs that carry its tag, and the stack's untagged runner never takes them.
 *
 * This module registers through the admin CLI (no database client in the Playwright process);
 * tests/integration/support/runner-process.ts registers through core and spawns with `spawnRunner`.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const run = promisify(execFile);

export interface TestRunner {
  id: number;
  tag: string;
  start(): void;
  /** SIGKILL: a crash, no chance to report anything. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/** `env` adds runner settings, e.g. `{ MINILAB_RUNNER_DOCKER_SOCKET: "true" }`. */
export async function registerTestRunner(tag: string, env: Record<string, string> = {}): Promise<TestRunner> {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "packages/stack/src/main.ts",
      "cli",
      "runner",
      "create",
      "--tags",
      tag,
      "--description",
      `test ${tag}`,
    ],
    { cwd: ROOT, env: process.env },
  );
  return spawnRunner(JSON.parse(stdout) as { id: number; token: string }, tag, env);
}

/**
 * The process side for a runner registered already: `start()` spawns apps/runner with its token and
 * tag (again after a crash or stop), in a builds folder of its own. `env` adds runner settings.
 */
export async function spawnRunner(
  registered: { id: number; token: string },
  tag: string,
  env: Record<string, string> = {},
): Promise<TestRunner> {
  const builds = await mkdtemp(path.join(tmpdir(), "minilab-runner-"));
  let child: ChildProcess | undefined;
  let out = "";
  const exited = (c: ChildProcess): Promise<void> =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => c.once("exit", () => r()));
  return {
    id: registered.id,
    tag,
    start() {
      child = spawn(process.execPath, ["--import", "tsx", "apps/runner/src/main.ts"], {
        cwd: ROOT,
        env: {
          ...process.env,
          MINILAB_URL: process.env["MINILAB_WEB_URL"],
          MINILAB_RUNNER_TOKEN: registered.token,
          MINILAB_RUNNER_TAGS: tag,
          MINILAB_RUNNER_RUN_UNTAGGED: "false",
          MINILAB_RUNNER_NETWORK_MODE: "none",
          MINILAB_RUNNER_BUILDS_DIR: builds,
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
