/**
 * The runner's file handling for artifacts and cache, on a real directory: glob selection with
 * exclude, zip round trip that keeps modes and refuses to write outside the project dir, cache keys
 * (`key:files`, prefix, variables), fallback keys, policies and LRU eviction by size.
 */
import { mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import yazl from "yazl";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacheSpec, JobSpec } from "@minilab/contracts";
import { CacheStore } from "../src/cache-store.ts";
import { cacheKey, restoreCache, saveCache } from "../src/cache-step.ts";
import { selectFiles } from "../src/path-globs.ts";
import { extractZip, writeZip } from "../src/zip-files.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "minilab-files-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function files(root: string, map: Record<string, string>): Promise<void> {
  for (const [f, content] of Object.entries(map)) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), content);
  }
}

describe("selectFiles", () => {
  it("takes directories whole, globs across segments with **, drops excluded files", async () => {
    const root = path.join(dir, "p");
    await files(root, {
      "out/a.txt": "a",
      "out/sub/b.txt": "b",
      "out/x.log": "l",
      "src/m.js": "m",
      "src/deep/n.js": "n",
      "src/deep/n.ts": "t",
      "README.md": "r",
    });
    const sel = await selectFiles(root, { paths: ["out/", "src/**/*.js", "../etc"], exclude: ["out/*.log"] });
    expect(sel.files).toEqual(["out/a.txt", "out/sub/b.txt", "src/deep/n.js", "src/m.js"]);
    expect(sel.report.join("\n")).toContain("../etc: not a path inside the project directory");
    const none = await selectFiles(root, { paths: ["missing/"] });
    expect(none.files).toEqual([]);
    expect(none.report[0]).toContain("no matching files");
  });

  it("never selects a symlink (it could point at a host file)", async () => {
    const root = path.join(dir, "p");
    await files(root, { "out/a.txt": "a" });
    await symlink("/etc/passwd", path.join(root, "out", "passwd"));
    expect((await selectFiles(root, { paths: ["out"] })).files).toEqual(["out/a.txt"]);
  });
});

describe("zip round trip", () => {
  it("restores contents and the executable bit", async () => {
    const src = path.join(dir, "src");
    await files(src, { "bin/run.sh": "#!/bin/sh\necho hi\n", "data/x.txt": "x" });
    const { chmod } = await import("node:fs/promises");
    await chmod(path.join(src, "bin/run.sh"), 0o755);
    const zip = path.join(dir, "a.zip");
    await writeZip(src, ["bin/run.sh", "data/x.txt"], zip);
    const dest = path.join(dir, "dest");
    await mkdir(dest);
    expect(await extractZip(zip, dest)).toBe(2);
    expect(await readFile(path.join(dest, "data/x.txt"), "utf8")).toBe("x");
    expect((await stat(path.join(dest, "bin/run.sh"))).mode & 0o111).not.toBe(0);
  });

  it("refuses to write through a directory symlink planted in the project dir", async () => {
    const outside = path.join(dir, "outside");
    const dest = path.join(dir, "dest");
    await mkdir(outside);
    await mkdir(dest);
    await symlink(outside, path.join(dest, "out"));
    const zip = path.join(dir, "evil.zip");
    const z = new yazl.ZipFile();
    z.addBuffer(Buffer.from("pwned"), "out/evil.txt");
    z.end();
    await pipeline(z.outputStream, createWriteStream(zip));
    await expect(extractZip(zip, dest)).rejects.toThrow(/outside the project dir/);
    await expect(stat(path.join(outside, "evil.txt"))).rejects.toThrow();
  });
});

const spec = (cache: CacheSpec[], vars: Record<string, string> = {}): JobSpec => ({
  id: 1,
  token: "t",
  name: "j",
  stage: "test",
  image: "",
  beforeScript: [],
  script: [],
  afterScript: [],
  variables: Object.entries({ CI_PROJECT_ID: "7", ...vars }).map(([key, value]) => ({
    key,
    value,
    masked: false,
  })),
  git: { repoUrl: "", sha: "", ref: "main", projectDir: "/builds/a/b" },
  timeoutSeconds: 60,
  cache,
});
const cache = (over: Partial<CacheSpec> = {}): CacheSpec => ({
  key: "default",
  paths: ["vendor/"],
  untracked: false,
  policy: "pull-push",
  when: "on_success",
  fallbackKeys: [],
  ...over,
});

describe("cache", () => {
  const logOf = (): { out: (b: Buffer) => void; text: () => string } => {
    const chunks: Buffer[] = [];
    return { out: (b) => chunks.push(b), text: () => Buffer.concat(chunks).toString("utf8") };
  };

  it("computes keys from variables, key:files contents and prefix", async () => {
    await files(dir, { "package-lock.json": "v1" });
    const vars = new Map([["CI_COMMIT_REF_SLUG", "main"]]);
    expect(await cacheKey(cache({ key: "deps-$CI_COMMIT_REF_SLUG" }), dir, vars)).toBe("deps-main");
    const k1 = await cacheKey(cache({ keyFiles: ["package-lock.json"], keyPrefix: "npm" }), dir, vars);
    expect(k1).toMatch(/^npm-[0-9a-f]{64}$/);
    await writeFile(path.join(dir, "package-lock.json"), "v2");
    expect(await cacheKey(cache({ keyFiles: ["package-lock.json"], keyPrefix: "npm" }), dir, vars)).not.toBe(
      k1,
    );
    expect(await cacheKey(cache({ keyFiles: ["missing.lock"] }), dir, vars)).toBe("default");
  });

  it("saves after success, restores in the next job, falls back to fallback_keys, honours policy", async () => {
    const store = new CacheStore(path.join(dir, "cache"), 1 << 30);
    const a = path.join(dir, "job-a");
    await files(a, { "vendor/dep.txt": "dep-1" });
    const log = logOf();
    await saveCache({ spec: spec([cache({ key: "main" })]), dir: a, store, out: log.out }, true);
    expect(log.text()).toContain("Created cache");

    // A pull-only job of another branch finds nothing under its key, then the fallback key.
    const b = path.join(dir, "job-b");
    await mkdir(b);
    const log2 = logOf();
    await restoreCache({
      spec: spec([cache({ key: "feature", fallbackKeys: ["main"], policy: "pull" })]),
      dir: b,
      store,
      out: log2.out,
    });
    expect(await readFile(path.join(b, "vendor/dep.txt"), "utf8")).toBe("dep-1");
    expect(log2.text()).toContain("Checking cache for feature");

    // on_success caches are not written after a failure; policy pull never writes.
    await writeFile(path.join(b, "vendor/dep.txt"), "dep-2");
    await saveCache({ spec: spec([cache({ key: "feature" })]), dir: b, store, out: () => {} }, false);
    await saveCache(
      { spec: spec([cache({ key: "feature", policy: "pull" })]), dir: b, store, out: () => {} },
      true,
    );
    expect(await store.lookup("7", "feature")).toBeNull();
    await saveCache(
      { spec: spec([cache({ key: "feature", when: "always" })]), dir: b, store, out: () => {} },
      false,
    );
    expect(await store.lookup("7", "feature")).not.toBeNull();
  });

  it("evicts the least recently used archives beyond cache_max_size", async () => {
    const store = new CacheStore(path.join(dir, "cache"), 0);
    const big = (n: number): string => "x".repeat(n);
    for (const key of ["old", "mid", "new"]) {
      const f = store.file("7", key);
      await mkdir(path.dirname(f), { recursive: true });
      await writeFile(f, big(1000));
    }
    const t = Date.now() / 1000;
    await utimes(store.file("7", "old"), t - 300, t - 300);
    await utimes(store.file("7", "mid"), t - 200, t - 200);
    await utimes(store.file("7", "new"), t - 100, t - 100);
    // Using "old" makes it the most recent.
    expect(await store.lookup("7", "old")).not.toBeNull();
    const bounded = new CacheStore(store.dir, 2500);
    expect(await bounded.evict()).toBe(1);
    expect(await store.lookup("7", "mid")).toBeNull();
    expect(await store.lookup("7", "old")).not.toBeNull();
    expect(await store.lookup("7", "new")).not.toBeNull();
  });
});
