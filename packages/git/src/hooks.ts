/**
 * The hooks receive-pack runs, written once per process into a private (0700, from mkdtemp)
 * directory used via `-c core.hooksPath=…`. Push logs live in it too, so no other local user can
 * plant a hook or read/forge a log.
 *
 * - pre-receive: applies the pusher's branch-protection policy (MINILAB_PUSH_POLICY, see
 *   push-policy.ts) to every ref update; without a policy it allows everything (package tests).
 *   It runs in this same Node binary (`process.execPath`), so no other interpreter is needed.
 * - post-receive: runs only after refs were updated and gets only the updates that succeeded, so
 *   copying its stdin is the exact record of what git applied. Push options (`git push -o`, in
 *   GIT_PUSH_OPTION_*) are written first, one `option <value>` line each (git forbids newlines in them).
 */
import { chmod, mkdtemp, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { refuseRefUpdate } from "./push-policy.ts";

const POST_RECEIVE = `#!/bin/sh
# Written by @minilab/git. Records push options and accepted ref updates for the web process.
if [ -z "$MINILAB_PUSH_LOG" ]; then cat > /dev/null; exit 0; fi
{
  i=0
  while [ "$i" -lt "\${GIT_PUSH_OPTION_COUNT:-0}" ]; do
    eval "printf 'option %s\\n' \\"\\$GIT_PUSH_OPTION_$i\\""
    i=$((i + 1))
  done
  cat
} > "$MINILAB_PUSH_LOG"
exit 0
`;

const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const preReceive = (node: string, script: string): string => `#!/bin/sh
# Written by @minilab/git. Branch protection; see pre-receive.mjs.
[ -z "$MINILAB_PUSH_POLICY" ] && { cat > /dev/null; exit 0; }
exec ${shQuote(node)} ${shQuote(script)}
`;

/** The hook's program: refuseRefUpdate (same source as the library's) over every stdin line. */
const PRE_RECEIVE_MJS = `// Written by @minilab/git.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
const refuseRefUpdate = ${refuseRefUpdate.toString()};
let policy;
try {
  policy = JSON.parse(process.env.MINILAB_PUSH_POLICY);
} catch {
  process.stderr.write("GitLab: push policy unavailable, push refused.\\n");
  process.exit(1);
}
// Exit 1 = not an ancestor (a force push); anything else (e.g. a missing object) is refused too.
const isForce = (oldSha, newSha) => {
  try {
    execFileSync("git", ["merge-base", "--is-ancestor", oldSha, newSha], { stdio: "ignore" });
    return false;
  } catch {
    return true;
  }
};
const refusals = new Set();
for (const line of readFileSync(0, "utf8").split("\\n")) {
  if (!line) continue;
  const [oldSha, newSha, ref] = line.split(" ");
  const why = refuseRefUpdate(policy, { ref, oldSha, newSha }, () => isForce(oldSha, newSha));
  if (why) refusals.add(why);
}
for (const why of refusals) process.stderr.write("GitLab: " + why + "\\n");
process.exit(refusals.size > 0 ? 1 : 0);
`;

async function writeExecutable(dir: string, name: string, content: string): Promise<void> {
  const tmp = join(dir, `.${name}.${process.pid}`);
  await writeFile(tmp, content, { mode: 0o755 });
  await chmod(tmp, 0o755);
  await rename(tmp, join(dir, name));
}

let hooksDirPromise: Promise<string> | undefined;

/** The per-process hooks directory; a retry after a failed write is allowed by clearing the memo. */
export function ensureHooksDir(): Promise<string> {
  hooksDirPromise ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "minilab-git-hooks-"));
    const script = join(dir, "pre-receive.mjs");
    await writeExecutable(dir, "pre-receive.mjs", PRE_RECEIVE_MJS);
    await writeExecutable(dir, "pre-receive", preReceive(process.execPath, script));
    await writeExecutable(dir, "post-receive", POST_RECEIVE);
    return dir;
  })().catch((e: unknown) => {
    hooksDirPromise = undefined;
    throw e;
  });
  return hooksDirPromise;
}
