/**
 * Checks a commit out on the runner host, into the directory later bind-mounted into the job.
 *
 * Strategy (minilab's server runs stock `git upload-pack`, which only serves advertised refs to v0
 * clients and may refuse a bare SHA): shallow-fetch the branch `refs/heads/<ref>` (or, failing that,
 * the tag), check the SHA is in what arrived, otherwise try fetching the SHA itself, and last deepen
 * to the full history of the ref. The repo URL (which embeds the job token) is passed on the command
 * line only — never written to .git/config — and every output line is redacted before it is emitted.
 */
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";

export interface CheckoutOptions {
  /** `http://gitlab-ci-token:<token>@host/ns/project.git` */
  repoUrl: string;
  sha: string;
  ref: string;
  dir: string;
  /** @defaultValue 20; 0 = full history */
  depth?: number;
  /** Flags for `git clean` after checkout (GIT_CLEAN_FLAGS); "none" skips it. @defaultValue "-ffdx" */
  cleanFlags?: string;
  onOutput(chunk: Buffer): void;
  signal?: AbortSignal;
}

export class GitCheckoutError extends Error {
  override readonly name = "GitCheckoutError";
}

/** Replaces the password part of any `scheme://user:password@` in text. */
export function redactCredentials(text: string): string {
  return text.replace(/(\w+:\/\/[^\s:/@]+:)[^\s@]+@/g, "$1[MASKED]@");
}

export async function checkout(opts: CheckoutOptions): Promise<void> {
  const depth = opts.depth ?? 20;
  const git = (args: string[], quiet = false): Promise<number> =>
    runGit(args, opts.dir, quiet ? () => undefined : (c) => opts.onOutput(c), opts.signal);
  const must = async (args: string[], what: string): Promise<void> => {
    const code = await git(args);
    if (code !== 0) throw new GitCheckoutError(`${what} failed (git exit code ${code})`);
  };
  const hasCommit = async (): Promise<boolean> =>
    (await git(["cat-file", "-e", `${opts.sha}^{commit}`], true)) === 0;

  await mkdir(opts.dir, { recursive: true });
  opts.onOutput(Buffer.from(`Fetching changes with git depth set to ${depth}...\n`));
  await must(["init", "-q"], "git init");

  const fetch = ["-c", "credential.helper=", "fetch", "--no-tags", "--prune", "--progress"];
  const branchSpec = `+refs/heads/${opts.ref}:refs/remotes/origin/${opts.ref}`;
  const tagSpec = `+refs/tags/${opts.ref}:refs/tags/${opts.ref}`;
  const shallow = depth > 0 ? [`--depth=${depth}`] : [];
  let spec = branchSpec;
  if ((await git([...fetch, ...shallow, opts.repoUrl, branchSpec])) !== 0) {
    spec = tagSpec;
    await git([...fetch, ...shallow, opts.repoUrl, tagSpec]);
  }
  if (!(await hasCommit())) await git([...fetch, ...shallow, opts.repoUrl, opts.sha], true);
  if (!(await hasCommit()) && depth > 0) {
    opts.onOutput(
      Buffer.from(`Commit ${opts.sha} is not in the last ${depth} commits; fetching full history...\n`),
    );
    await git([...fetch, "--unshallow", opts.repoUrl, spec]);
  }
  if (!(await hasCommit()))
    throw new GitCheckoutError(
      `commit ${opts.sha} not found in ${redactCredentials(opts.repoUrl)} (ref ${opts.ref})`,
    );

  opts.onOutput(
    Buffer.from(`Checking out ${opts.sha.slice(0, 8)} as detached HEAD (ref is ${opts.ref})...\n`),
  );
  await must(["-c", "advice.detachedHead=false", "checkout", "-q", "-f", opts.sha], "git checkout");
  const clean = (opts.cleanFlags ?? "-ffdx").trim();
  if (clean !== "none")
    await must(["clean", ...clean.split(/\s+/).filter((f) => f.startsWith("-")), "-q"], "git clean");
}

/**
 * Runs git with output redacted line by line. Lines end at \n or \r (git progress uses \r); a
 * credential can therefore never be split across two emitted pieces.
 */
function runGit(
  args: string[],
  cwd: string,
  onOutput: (chunk: Buffer) => void,
  signal: AbortSignal | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: path.resolve(cwd),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      signal,
    });
    let pending = "";
    const onData = (b: Buffer): void => {
      pending += b.toString("utf8");
      const cut = Math.max(pending.lastIndexOf("\n"), pending.lastIndexOf("\r")) + 1;
      if (cut > 0) {
        onOutput(Buffer.from(redactCredentials(pending.slice(0, cut))));
        pending = pending.slice(cut);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err) =>
      reject(new GitCheckoutError(`cannot run git: ${redactCredentials(err.message)}`)),
    );
    child.on("close", (code) => {
      if (pending) onOutput(Buffer.from(redactCredentials(pending) + "\n"));
      resolve(code ?? -1);
    });
  });
}
