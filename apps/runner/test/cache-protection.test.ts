/**
 * Separate caches for protected and unprotected refs (GitLab's default), on the runner side: the
 * suffix the server sends goes on the key and on every fallback key, so a job of an unprotected
 * branch neither restores nor overwrites a protected branch's cache, and CACHE_FALLBACK_KEY cannot
 * name a protected cache. Without a suffix (the project turned separate caches off) they share.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacheSpec, JobSpec } from "@minilab/contracts";
import { CacheStore } from "../src/cache-store.ts";
import { restoreCache, saveCache } from "../src/cache-step.ts";

let dir: string;
let store: CacheStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "minilab-cache-prot-"));
  store = new CacheStore(path.join(dir, "cache"), 1 << 30);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const job = (cache: Partial<CacheSpec>, vars: Record<string, string> = {}): JobSpec => ({
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
  cache: [
    {
      key: "deps",
      paths: ["vendor/"],
      untracked: false,
      policy: "pull-push",
      when: "always",
      fallbackKeys: [],
      ...cache,
    },
  ],
});

/** Runs restore + "script" (writes vendor/dep.txt) + save in a fresh project dir; returns what it restored and logged. */
async function run(spec: JobSpec, writes: string | null): Promise<{ restored: string | null; log: string }> {
  const work = await mkdtemp(path.join(dir, "job-"));
  const chunks: Buffer[] = [];
  const out = (b: Buffer): void => void chunks.push(b);
  await restoreCache({ spec, dir: work, store, out });
  const restored = await readFile(path.join(work, "vendor/dep.txt"), "utf8").catch(() => null);
  if (writes !== null) {
    await mkdir(path.join(work, "vendor"), { recursive: true });
    await writeFile(path.join(work, "vendor/dep.txt"), writes);
    await saveCache({ spec, dir: work, store, out }, true);
  }
  return { restored, log: Buffer.concat(chunks).toString() };
}

describe("separate caches for protected refs", () => {
  it("keeps an unprotected branch away from the protected branch's cache", async () => {
    const main = await run(job({ keySuffix: "-protected" }), "trusted");
    expect(main.log).toContain("Creating cache deps-protected...");

    // A feature branch with the same key: nothing restored, and what it saves lands beside it.
    const feature = await run(job({ keySuffix: "-non_protected", fallbackKeys: ["deps"] }), "poisoned");
    expect(feature.restored).toBeNull();
    expect(feature.log).toContain("Checking cache for deps-non_protected...");
    expect(feature.log).not.toContain("Checking cache for deps-protected");

    // The protected branch still gets its own bytes back.
    expect((await run(job({ keySuffix: "-protected", policy: "pull" }), null)).restored).toBe("trusted");
    expect((await run(job({ keySuffix: "-non_protected", policy: "pull" }), null)).restored).toBe("poisoned");
  });

  it("refuses a CACHE_FALLBACK_KEY naming a protected cache, trailing slashes or not", async () => {
    await run(job({ keySuffix: "-protected" }), "trusted");
    for (const fallback of ["deps-protected", "deps-protected/", "deps-protected \\"]) {
      const r = await run(
        job({ key: "other", keySuffix: "-non_protected", policy: "pull" }, { CACHE_FALLBACK_KEY: fallback }),
        null,
      );
      expect(r.restored).toBeNull();
      expect(r.log).toContain(`CACHE_FALLBACK_KEY "${fallback}" not allowed to end in "-protected"`);
    }
    // An unprotected fallback is fine.
    await run(job({ key: "shared", keySuffix: "-non_protected" }), "shared bytes");
    const r = await run(
      job(
        { key: "other", keySuffix: "-non_protected", policy: "pull" },
        { CACHE_FALLBACK_KEY: "shared-non_protected" },
      ),
      null,
    );
    expect(r.restored).toBe("shared bytes");
  });

  it("shares one cache when the project turned separate caches off (no suffix)", async () => {
    await run(job({}), "one cache");
    expect((await run(job({ policy: "pull" }), null)).restored).toBe("one cache");
  });
});
