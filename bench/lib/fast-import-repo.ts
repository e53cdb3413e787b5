/**
 * Generates git repositories for the benches with `git fast-import` (seconds for 10,000 commits):
 * a linear history on `main` where each commit rewrites one file of a nested tree with fresh
 * random (base64, so only ~25% compressible) content. Cached by parameters under `cacheDir`.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { execFileSync } from "node:child_process";

export interface GenOptions {
  commits: number;
  /** Bytes of new content per commit. */
  bytesPerCommit: number;
  /** Distinct files the commits rotate through (spread over nested dirs). */
  files: number;
  /** Also point `base` at commit number `baseAt` (1-based), for fetch benches. */
  baseAt?: number;
}

export const filePath = (i: number): string => `dir${i % 10}/sub${Math.floor(i / 10) % 10}/file-${i}.txt`;

/** Path of a bare repository with that history, generated once. */
export async function generatedRepo(cacheDir: string, o: GenOptions): Promise<string> {
  const name = `gen-${o.commits}c-${o.bytesPerCommit}b-${o.files}f${o.baseAt ? `-base${o.baseAt}` : ""}.git`;
  const dir = path.join(cacheDir, name);
  if (existsSync(path.join(dir, "DONE"))) return dir;
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", tmp]);
  const child = spawn("git", ["-C", tmp, "fast-import", "--quiet"], {
    stdio: ["pipe", "inherit", "inherit"],
  });
  const write = (s: string | Buffer) =>
    child.stdin.write(s) ? Promise.resolve() : new Promise<void>((r) => child.stdin.once("drain", () => r()));
  const t0 = 1_600_000_000;
  for (let i = 1; i <= o.commits; i++) {
    const msg = `Commit ${i}\n\nGenerated for the benchmark.\n`;
    const content = randomBytes(Math.ceil((o.bytesPerCommit * 3) / 4)).toString("base64");
    let s = `commit refs/heads/main\nmark :${i}\n`;
    s += `author Bench <bench@example.test> ${t0 + i * 60} +0000\n`;
    s += `committer Bench <bench@example.test> ${t0 + i * 60} +0000\n`;
    s += `data ${Buffer.byteLength(msg)}\n${msg}`;
    if (i > 1) s += `from :${i - 1}\n`;
    s += `M 100644 inline ${filePath(i % o.files)}\ndata ${content.length}\n${content}\n`;
    if (i === 1) s += `M 100644 inline README.md\ndata 9\n# Bench\n\n`;
    s += "\n";
    if (o.baseAt === i) s += `reset refs/heads/base\nfrom :${i}\n\n`;
    await write(s);
  }
  child.stdin.end();
  await new Promise<void>((resolve, reject) =>
    child.once("close", (c) => (c === 0 ? resolve() : reject(new Error(`fast-import exited ${c}`)))),
  );
  execFileSync("git", ["-C", tmp, "repack", "-a", "-d", "-q"]);
  execFileSync("touch", [path.join(tmp, "DONE")]);
  await rename(tmp, dir);
  return dir;
}
