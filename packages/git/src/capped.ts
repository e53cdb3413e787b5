/**
 * Runs git and keeps at most `maxBytes` of stdout; past that git is killed and the result says
 * `truncated`. For outputs whose size a user controls (diffs, blobs), so a huge file or diff never
 * becomes a huge buffer in the web process.
 */
import { spawn } from "node:child_process";

export interface CappedResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  truncated: boolean;
}

export function runGitCapped(args: string[], maxBytes: number, stdin?: string): Promise<CappedResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.GIT_DIR;
    delete env.GIT_WORK_TREE;
    const child = spawn("git", args, { env, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (s: string) => {
      stderr = (stderr + s).slice(-8192);
    });
    child.stdout.on("data", (b: Buffer) => {
      if (truncated) return;
      const room = maxBytes - size;
      if (b.length > room) {
        chunks.push(b.subarray(0, room));
        size = maxBytes;
        truncated = true;
        child.kill();
        return;
      }
      chunks.push(b);
      size += b.length;
    });
    child.stdin.on("error", () => {}); // EPIPE when git exits before reading stdin
    child.stdin.end(stdin ?? "");
    child.once("error", reject);
    child.once("close", (code) => {
      resolve({ code: truncated ? 0 : (code ?? 1), stdout: Buffer.concat(chunks), stderr, truncated });
    });
  });
}
