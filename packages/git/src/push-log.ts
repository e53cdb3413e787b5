import { readFile, rm } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { ensureHooksDir } from "./hooks.ts";

/** One ref change exactly as receive-pack applied it; a zero sha means create (old) or delete (new). */
export interface RefUpdate {
  ref: string;
  oldSha: string;
  newSha: string;
}

/** What the post-receive hook recorded (see hooks.ts): push options, then accepted updates. */
export interface PushLog {
  updates: RefUpdate[];
  /** `git push -o <option>` values, in order. */
  pushOptions: string[];
}

/** A fresh log path for one receive-pack request. */
export async function newPushLogPath(): Promise<string> {
  return join(await ensureHooksDir(), `push-${randomUUID()}.log`);
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function parsePushLog(text: string): PushLog {
  const updates: RefUpdate[] = [];
  const pushOptions: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("option ")) {
      pushOptions.push(line.slice("option ".length));
      continue;
    }
    const [oldSha, newSha, ref, ...rest] = line.split(" ");
    if (!oldSha || !newSha || !ref || rest.length > 0 || !SHA.test(oldSha) || !SHA.test(newSha)) {
      throw new Error(`Malformed post-receive line: ${JSON.stringify(line)}`);
    }
    updates.push({ ref, oldSha, newSha });
  }
  return { updates, pushOptions };
}

/** Reads and deletes a push log; no file means the hook never ran, i.e. nothing was accepted. */
export async function consumePushLog(path: string): Promise<PushLog> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { updates: [], pushOptions: [] };
    throw e;
  }
  await rm(path, { force: true });
  return parsePushLog(text);
}
