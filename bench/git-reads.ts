/**
 * Repository-browser reads: git plumbing (packages/git, one `git` process per read) vs
 * isomorphic-git (pure JS, in-process) on the same generated repository. Decides which one the
 * browser uses. Run: `npx tsx bench/git-reads.ts` (env BENCH_CACHE_DIR, BENCH_ITERATIONS).
 */
import fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import git from "isomorphic-git";
import { listCommits, listTree, readBlob, resolveRef } from "@minilab/git";
import { filePath, generatedRepo } from "./lib/fast-import-repo.ts";

const CACHE = process.env["BENCH_CACHE_DIR"] ?? path.join(tmpdir(), "minilab-bench-cache");
const N = Number(process.env["BENCH_ITERATIONS"] ?? 30);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (caches, lazy pack index loading)
  const xs: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const dir = await generatedRepo(CACHE, { commits: 2000, bytesPerCommit: 2048, files: 500 });
const sha = (await resolveRef(dir, "main"))!;
const cache = {};
const blobPath = filePath(7);

const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
  [
    "tree: root listing",
    () => listTree(dir, sha, ""),
    () => git.readTree({ fs, gitdir: dir, oid: sha, cache }),
  ],
  [
    "tree: nested dir (dir3/sub4)",
    () => listTree(dir, sha, "dir3/sub4"),
    () => git.readTree({ fs, gitdir: dir, oid: sha, filepath: "dir3/sub4", cache }),
  ],
  [
    "log: 200 commits",
    () => listCommits(dir, sha, { limit: 200 }),
    () => git.log({ fs, gitdir: dir, ref: sha, depth: 200, cache }),
  ],
  [
    "blob: 2 KB file",
    () => readBlob(dir, sha, blobPath),
    () => git.readBlob({ fs, gitdir: dir, oid: sha, filepath: blobPath, cache }),
  ],
];

console.log(`repository: ${dir} (2,000 commits, 500 files); median of ${N} runs after one warm-up\n`);
console.log("read                          plumbing ms   isomorphic-git ms   ratio (iso/plumbing)");
for (const [name, plumbing, iso] of cases) {
  const p = await time(plumbing);
  const i = await time(iso);
  console.log(
    `${name.padEnd(30)}${p.toFixed(2).padStart(11)}${i.toFixed(2).padStart(20)}${(i / p).toFixed(2).padStart(21)}`,
  );
}
