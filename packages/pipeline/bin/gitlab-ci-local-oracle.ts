/**
 * Runs gitlab-ci-local (the differential oracle) on an in-memory repository: writes the files to a
 * temporary git repository on the requested branch (or tag), runs `--list-json`, returns its rows.
 * Lives in bin/ because it does I/O; the differential test and the bench import it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type OracleRow = {
  name: string;
  stage: string;
  when: string;
  /** gitlab-ci-local prints `allow_failure: { exit_codes }` as written. */
  allow_failure: boolean | { exit_codes: number | number[] };
  needs?: { job: string; artifacts?: boolean; optional?: boolean }[];
};

const BIN = join(import.meta.dirname, "../../../node_modules/.bin/gitlab-ci-local");

/** Creates the repo and returns its path; `ref` `tag:<name>` checks out a tag. */
export async function makeRepo(files: Record<string, string>, ref: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ci-oracle-"));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const git = (...args: string[]): Promise<unknown> =>
    run("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", ...args], { cwd: dir });
  await git("init", "-q", "-b", "main");
  await git("add", "-A");
  await git("commit", "-q", "-m", "fixture");
  // gitlab-ci-local diffs against origin/<default branch> for `changes:`.
  await git("update-ref", "refs/remotes/origin/main", "HEAD");
  if (ref.startsWith("tag:")) {
    await git("tag", ref.slice(4));
    await git("checkout", "-q", ref.slice(4));
  } else if (ref !== "main") await git("checkout", "-q", "-b", ref);
  return dir;
}

type Handler = (args: Record<string, unknown>, streams: unknown) => Promise<unknown>;
type Streams = { stdoutLines: string[]; stderrLines: string[] };
let loaded: Promise<{ handler: Handler; mock: new () => Streams }> | null = null;

/**
 * gitlab-ci-local's own handler, in this process: its CLI spends ~2 s loading modules per run, which
 * would dominate the differential test. Same code path as `--list-json` (its tests call it this way).
 */
function load(): Promise<{ handler: Handler; mock: new () => Streams }> {
  loaded ??= (async () => {
    const root = join(dirname(BIN), "../gitlab-ci-local/src");
    const h = (await import(join(root, "handler.js"))) as { handler: Handler };
    const w = (await import(join(root, "write-streams.js"))) as { WriteStreamsMock: new () => Streams };
    return { handler: h.handler, mock: w.WriteStreamsMock };
  })();
  return loaded;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * `gitlab-ci-local --list-json` in `dir`; `vars` become `--variable K=V`. gitlab-ci-local resolves
 * includes relative to the process cwd, so calls are serialised around a `chdir` into the repo.
 */
export function listJson(dir: string, vars: Record<string, string> = {}): Promise<OracleRow[]> {
  const job = queue.then(async () => {
    const { handler, mock } = await load();
    const streams = new mock();
    const variable = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    const before = process.cwd();
    process.chdir(dir);
    try {
      await handler({ cwd: ".", listJson: true, jsonSchemaValidation: false, variable }, streams);
    } finally {
      process.chdir(before);
    }
    return JSON.parse(streams.stdoutLines.join("\n")) as OracleRow[];
  });
  queue = job.catch(() => undefined);
  return job;
}

/**
 * The CLI itself: the bench times what a user runs, and `--variable` only reaches rules evaluation
 * this way (in-process, gitlab-ci-local 4.60.0 keeps state between calls that hides it).
 */
export async function listJsonCli(dir: string, vars: Record<string, string> = {}): Promise<OracleRow[]> {
  const args = ["--list-json", "--no-json-schema-validation"];
  for (const [k, v] of Object.entries(vars)) args.push("--variable", `${k}=${v}`);
  const { stdout } = await run(BIN, args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as OracleRow[];
}

export async function oracle(
  files: Record<string, string>,
  ref: string,
  vars: Record<string, string> = {},
): Promise<OracleRow[]> {
  const dir = await makeRepo(files, ref);
  try {
    return Object.keys(vars).length > 0 ? await listJsonCli(dir, vars) : await listJson(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
