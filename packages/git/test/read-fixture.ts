/**
 * A real repository built with the git CLI for the read tests: nested directories, a binary file, a
 * 3 MB file, paths with spaces and unicode, 30 commits on main, a branch with a slash, a rename, and
 * lightweight + annotated tags. Pushed into a bare repo, as minilab stores them.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitOk } from "./helpers.ts";

export interface ReadFixture {
  bare: string;
  main: string;
  feature: string;
  first: string;
  close(): Promise<void>;
}

export async function readFixture(): Promise<ReadFixture> {
  const root = await mkdtemp(join(tmpdir(), "minilab-read-"));
  const work = join(root, "work");
  const bare = join(root, "repo.git");
  await gitOk(root, ["init", "-q", "--bare", "-b", "main", bare]);
  await gitOk(root, ["init", "-q", "-b", "main", work]);
  const w = (p: string, c: string | Buffer) => writeFile(join(work, p), c);
  await mkdir(join(work, "src/lib/deep"), { recursive: true });
  await mkdir(join(work, "docs/with space"), { recursive: true });
  await w("README.md", "# Demo\n\nHello **world**.\n");
  await w("src/index.ts", 'export const a = 1;\nconsole.log("hi");\n');
  await w("src/lib/deep/util.ts", "export function f() {\n  return 42;\n}\n");
  await w("docs/with space/naïve café.md", "unicode\n");
  await w("logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 255]));
  await w("big.txt", ("0123456789".repeat(10) + "\n").repeat(30_000));
  await gitOk(work, ["add", "-A"]);
  await gitOk(work, ["commit", "-q", "-m", "Initial import\n\nWith a body."], {
    GIT_COMMITTER_DATE: "2024-12-31T00:00:00Z",
  });
  const first = await gitOk(work, ["rev-parse", "HEAD"]);
  await gitOk(work, ["tag", "v0.1"]);
  for (let i = 1; i <= 29; i++) {
    await w("src/counter.txt", `${i}\n`);
    await gitOk(work, ["add", "-A"]);
    await gitOk(work, ["commit", "-q", "-m", `Count ${i}`], {
      GIT_COMMITTER_DATE: `2025-01-01T00:${String(i).padStart(2, "0")}:00Z`,
    });
  }
  await gitOk(work, ["tag", "-a", "v1.0", "-m", "Release 1.0"]);
  const main = await gitOk(work, ["rev-parse", "HEAD"]);
  await gitOk(work, ["checkout", "-q", "-b", "feature/x"]);
  await gitOk(work, ["mv", "src/index.ts", "src/main.ts"]);
  await w("src/lib/deep/util.ts", "export function f() {\n  return 43;\n}\n// more\n");
  await gitOk(work, ["commit", "-q", "-am", "Rename index and tweak util"], {
    GIT_COMMITTER_DATE: "2030-01-01T00:00:00Z",
  });
  const feature = await gitOk(work, ["rev-parse", "HEAD"]);
  await gitOk(work, ["push", "-q", bare, "main", "feature/x", "--tags"]);
  return { bare, main, feature, first, close: () => rm(root, { recursive: true, force: true }) };
}
