import { chmod, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One ref change exactly as receive-pack applied it; a zero sha means create (old) or delete (new). */
export interface RefUpdate {
  ref: string;
  oldSha: string;
  newSha: string;
}

/**
 * post-receive runs after receive-pack has updated refs and gets only the updates that succeeded
 * ("<old> <new> <ref>" per line on stdin), so copying stdin is the exact record of what git applied.
 * Rejected updates (non-fast-forward, failed lock, …) never reach it.
 */
const POST_RECEIVE = `#!/bin/sh
# Written by @minilab/git. Records accepted ref updates for the web process to read after git exits.
if [ -n "$MINILAB_PUSH_LOG" ]; then cat > "$MINILAB_PUSH_LOG"; else cat > /dev/null; fi
exit 0
`;

let hooksDirPromise: Promise<string> | undefined;

/**
 * A private (0700, from mkdtemp) hooks directory written once per process and shared by every
 * receive-pack run via `-c core.hooksPath=…`; push logs live in it too, so no other local user can
 * plant a hook or read/forge a log. A retry after a failed write is allowed by clearing the memo.
 */
export function ensureHooksDir(): Promise<string> {
  hooksDirPromise ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "minilab-git-hooks-"));
    const tmp = join(dir, `.post-receive.${process.pid}`);
    await writeFile(tmp, POST_RECEIVE, { mode: 0o755 });
    await chmod(tmp, 0o755);
    await rename(tmp, join(dir, "post-receive"));
    return dir;
  })().catch((e: unknown) => {
    hooksDirPromise = undefined;
    throw e;
  });
  return hooksDirPromise;
}

/** A fresh log path for one receive-pack request. */
export async function newPushLogPath(): Promise<string> {
  return join(await ensureHooksDir(), `push-${randomUUID()}.log`);
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function parsePushLog(text: string): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const [oldSha, newSha, ref, ...rest] = line.split(" ");
    if (!oldSha || !newSha || !ref || rest.length > 0 || !SHA.test(oldSha) || !SHA.test(newSha)) {
      throw new Error(`Malformed post-receive line: ${JSON.stringify(line)}`);
    }
    updates.push({ ref, oldSha, newSha });
  }
  return updates;
}

/** Reads and deletes a push log; no file means the hook never ran, i.e. nothing was accepted. */
export async function consumePushLog(path: string): Promise<RefUpdate[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  await rm(path, { force: true });
  return parsePushLog(text);
}
