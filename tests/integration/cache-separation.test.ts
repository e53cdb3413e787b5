/**
 * On the real stack (web app + bundled runner + Docker): a protected branch's cache cannot be
 * poisoned by an unprotected branch (keys end in `-protected` / `-non_protected`), the project
 * setting `ci_separated_caches` (API v4, maintainer+) turns the separation off, and deleting a
 * pipeline through the API removes its jobs' artifact files from disk.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJobLog } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

describe.runIf(webUrl)("cache separation and artifact cleanup", () => {
  let db: Db;
  let t: TestProject;
  const pid = (): string => encodeURIComponent(t.repo);
  const call = (method: string, p: string, body?: Record<string, string>, token = t.token) =>
    fetch(new URL(`/api/v4${p}`, webUrl), {
      method,
      headers: { "PRIVATE-TOKEN": token, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  /** Pushes `ref` and returns the log of its single job once the pipeline finished. */
  async function run(
    ref: string,
    message: string,
  ): Promise<{ pipelineId: number; jobId: number; log: string }> {
    const sha = await t.push({ "note.txt": message }, message, ref);
    const p = await t.finishedPipeline(sha);
    const [job] = await t.api<{ id: number }[]>(`/projects/${pid()}/pipelines/${p.id}/jobs`);
    return { pipelineId: p.id, jobId: job!.id, log: (await readJobLog({ db, jobId: job!.id })).toString() };
  }

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    t = await testProject(db, "cachesep");
    // New projects protect their default branch, as in GitLab.
    expect(await db.protectedBranch.count({ where: { projectId: t.project.id, name: "main" } })).toBe(1);
    await t.push(
      {
        ".gitlab-ci.yml": `
job:
  cache: { key: deps, paths: [vendor/] }
  artifacts: { paths: [vendor/] }
  script:
    - echo "protected=$CI_COMMIT_REF_PROTECTED"
    - |
      if [ -f vendor/dep.txt ]; then echo "cache hit: $(cat vendor/dep.txt)"; else echo "cache miss"; fi
    - mkdir -p vendor && echo "from-$CI_COMMIT_REF_NAME" > vendor/dep.txt
`,
      },
      "ci",
      "main",
    );
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it("keeps an unprotected branch from poisoning the protected branch's cache", async () => {
    const main = await run("main", "main 1");
    expect(main.log).toContain("protected=true");
    expect(main.log).toContain("Creating cache deps-protected...");

    const feature = await run("feature", "feature 1");
    expect(feature.log).toContain("protected=false");
    expect(feature.log).toContain("cache miss");
    expect(feature.log).toContain("Creating cache deps-non_protected...");

    const again = await run("main", "main 2");
    expect(again.log).toContain("cache hit: from-main");
  }, 180_000);

  it("shares one cache once a maintainer turns ci_separated_caches off", async () => {
    const stranger = await testProject(db, "cachesep-stranger");
    expect(
      (await call("PUT", `/projects/${pid()}`, { ci_separated_caches: "false" }, stranger.token)).status,
    ).toBe(404);
    const res = await call("PUT", `/projects/${pid()}`, { ci_separated_caches: "false" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ci_separated_caches: boolean }).ci_separated_caches).toBe(false);

    const feature = await run("feature", "feature 2");
    expect(feature.log).toContain("Creating cache deps...");
    const main = await run("main", "main 3");
    expect(main.log).toContain("cache hit: from-feature");
    await call("PUT", `/projects/${pid()}`, { ci_separated_caches: "true" });
  }, 180_000);

  it("removes a deleted pipeline's artifact files from disk", async () => {
    const r = await run("main", "main 4");
    const row = await db.jobArtifact.findFirstOrThrow({ where: { jobId: r.jobId, fileType: "archive" } });
    const dataDir = process.env["MINILAB_DATA_DIR"];
    const file = dataDir ? path.join(dataDir, "artifacts", row.storagePath) : null;
    if (file) expect(existsSync(file)).toBe(true);
    expect((await call("DELETE", `/projects/${pid()}/pipelines/${r.pipelineId}`)).status).toBe(204);
    expect(await db.jobArtifact.count({ where: { jobId: r.jobId } })).toBe(0);
    if (file) expect(existsSync(file)).toBe(false);
  }, 180_000);
});
