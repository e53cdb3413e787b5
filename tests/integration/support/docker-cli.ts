/**
 * The docker CLI against the test engine (DOCKER_HOST), with a private `--config` directory so
 * logins of one test never leak into another (or into the developer's ~/.docker).
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface DockerCli {
  /** Runs `docker <args>`; rejects with stderr in the message on a non-zero exit. */
  (...args: string[]): Promise<string>;
  /** Runs `docker <args>` expecting failure; resolves with stdout + stderr. */
  fails(...args: string[]): Promise<string>;
}

export async function dockerCli(): Promise<DockerCli> {
  const config = await mkdtemp(path.join(tmpdir(), "minilab-docker-config-"));
  const exec = (args: string[]) =>
    run("docker", ["--config", config, ...args], {
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    });
  const cli = (async (...args: string[]) => {
    try {
      const { stdout } = await exec(args);
      return stdout;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`docker ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? String(e)}`);
    }
  }) as DockerCli;
  cli.fails = async (...args: string[]) => {
    try {
      await exec(args);
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      return `${err.stdout ?? ""}${err.stderr ?? ""}`;
    }
    throw new Error(`docker ${args.join(" ")} unexpectedly succeeded`);
  };
  return cli;
}
