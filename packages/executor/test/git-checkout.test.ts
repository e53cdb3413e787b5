/** checkout() against a real bare repository served over file:// (same upload-pack as the server). */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout, redactCredentials } from "../src/index.ts";

let root = "";
let bare = "";
const shas: string[] = [];
const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  }).trim();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "minilab-git-"));
  bare = path.join(root, "repo.git");
  const src = path.join(root, "src");
  git(root, "init", "-q", "--bare", "-b", "main", bare);
  git(root, "init", "-q", "-b", "main", src);
  for (let i = 0; i < 30; i++) {
    await writeFile(path.join(src, "n.txt"), `${i}\n`);
    git(src, "add", ".");
    git(src, "commit", "-q", "-m", `c${i}`);
    shas.push(git(src, "rev-parse", "HEAD"));
  }
  git(src, "push", "-q", bare, "main");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("checkout", () => {
  it("checks out the tip of a branch shallowly", async () => {
    const dir = path.join(root, "w1");
    const out: Buffer[] = [];
    await checkout({
      repoUrl: `file://${bare}`,
      sha: shas[29]!,
      ref: "main",
      dir,
      depth: 5,
      onOutput: (c) => out.push(c),
    });
    expect(await readFile(path.join(dir, "n.txt"), "utf8")).toBe("29\n");
    expect(git(dir, "rev-parse", "HEAD")).toBe(shas[29]);
  });

  it("falls back to the full history when the sha is older than the depth", async () => {
    const dir = path.join(root, "w2");
    await checkout({
      repoUrl: `file://${bare}`,
      sha: shas[2]!,
      ref: "main",
      dir,
      depth: 5,
      onOutput: () => undefined,
    });
    expect(await readFile(path.join(dir, "n.txt"), "utf8")).toBe("2\n");
  });

  it("fails clearly for an unknown sha and never prints the token", async () => {
    const out: Buffer[] = [];
    const url = "http://gitlab-ci-token:s3cr3t-token@127.0.0.1:1/ns/p.git";
    await expect(
      checkout({
        repoUrl: url,
        sha: "0".repeat(40),
        ref: "main",
        dir: path.join(root, "w3"),
        onOutput: (c) => out.push(c),
      }),
    ).rejects.toThrow(/not found/);
    const text = Buffer.concat(out).toString();
    expect(text).not.toContain("s3cr3t-token");
  });

  it("redacts credentials in URLs", () => {
    expect(redactCredentials("fatal: http://gitlab-ci-token:abc@h/x.git")).toBe(
      "fatal: http://gitlab-ci-token:[MASKED]@h/x.git",
    );
  });
});
