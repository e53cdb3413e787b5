import { execFile } from "node:child_process";

/** Buffered git output is for small things (refs, commits, CI config), never packs. */
const MAX_BUFFER = 64 * 1024 * 1024;

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs `git <args>` without a shell and resolves with the exit code instead of rejecting, so callers
 * decide which non-zero codes are expected (e.g. `cat-file -e` answering "missing").
 */
export function runGit(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, encoding: "buffer", maxBuffer: MAX_BUFFER },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") return reject(new Error(err.message, { cause: err }));
        resolve({
          code: typeof err?.code === "number" ? err.code : 0,
          stdout,
          stderr: stderr.toString("utf8"),
        });
      },
    );
  });
}

/** Like {@link runGit} but a non-zero exit is a bug or a broken repo: throw with git's stderr. */
export async function gitOk(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Buffer> {
  const r = await runGit(args, opts);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}
