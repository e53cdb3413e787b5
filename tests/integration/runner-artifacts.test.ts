/**
 * Artifacts and cache on the real stack (web app + runner + Docker): files pass from one stage to the
 * next, `exclude` and `dependencies: []` are honoured, `reports:dotenv` variables reach dependent
 * jobs, the archive is downloadable (whole and per file) through API v4 with read permission only,
 * deletable by a maintainer, gone once expired; a cache written by one pipeline is restored in the next.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireArtifacts, readJobLog } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

type ApiJob = { id: number; name: string; status: string };

/** A screenshot for humans reviewing the UI (e2e/screenshots), with Debian's Chromium. */
async function screenshot(url: string, name: string): Promise<void> {
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.screenshot({ path: path.resolve(import.meta.dirname, "../../e2e/screenshots", name) });
  } finally {
    await browser.close();
  }
}

async function zipNames(buf: Buffer): Promise<string[]> {
  const zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true });
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    zip.on("entry", (e: yauzl.Entry) => {
      names.push(e.fileName);
      zip.readEntry();
    });
    zip.on("end", () => resolve(names.sort()));
    zip.on("error", reject);
    zip.readEntry();
  });
}

describe.runIf(webUrl)("runner artifacts and cache", () => {
  let db: Db;
  let t: TestProject;
  const pid = (): string => encodeURIComponent(t.repo);
  const get = (p: string, token: string | null = t.token): Promise<Response> =>
    fetch(new URL(`/api/v4${p}`, webUrl), { headers: token ? { "PRIVATE-TOKEN": token } : {} });

  async function jobsOf(
    sha: string,
  ): Promise<{ status: string; jobs: Map<string, ApiJob & { log: string }> }> {
    const p = await t.finishedPipeline(sha);
    const jobs = await t.api<ApiJob[]>(`/projects/${pid()}/pipelines/${p.id}/jobs`);
    const out = new Map<string, ApiJob & { log: string }>();
    for (const j of jobs)
      out.set(j.name, { ...j, log: (await readJobLog({ db, jobId: j.id })).toString("utf8") });
    return { status: p.status, jobs: out };
  }

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    t = await testProject(db, "artifacts");
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it("passes artifacts and dotenv variables to later stages and serves them over the API", async () => {
    const ci = `
stages: [build, test]
build:
  stage: build
  script:
    - mkdir -p out/sub && echo "built-$CI_COMMIT_SHORT_SHA" > out/a.txt && echo nested > out/sub/b.txt
    - echo noise > out/skip.log
    - echo "BUILD_VERSION=1.2.3" > build.env
  artifacts:
    name: "build-$CI_JOB_NAME"
    paths: [out/]
    exclude: ["out/*.log"]
    expire_in: 1 week
    reports:
      dotenv: build.env
test:
  stage: test
  script:
    - cat out/a.txt out/sub/b.txt
    - test ! -e out/skip.log && echo "exclude honoured"
    - echo "version=$BUILD_VERSION"
isolated:
  stage: test
  dependencies: []
  script:
    - test ! -e out/a.txt && echo "no artifacts here"
    - echo "version=\${BUILD_VERSION:-unset}"
`;
    const sha = await t.push({ ".gitlab-ci.yml": ci }, "artifacts");
    const { status, jobs } = await jobsOf(sha);
    const build = jobs.get("build")!;
    const test = jobs.get("test")!;
    expect(build.log).toContain('Uploading artifacts as "archive" to coordinator... 201 Created');
    expect(status, `${build.log}\n${test.log}`).toBe("success");
    expect(test.log).toContain(`built-${sha.slice(0, 8)}`);
    expect(test.log).toContain("nested");
    expect(test.log).toContain("exclude honoured");
    expect(test.log).toContain("version=1.2.3");
    expect(jobs.get("isolated")!.log).toContain("no artifacts here");
    expect(jobs.get("isolated")!.log).toContain("version=unset");

    // Whole archive and one file through API v4.
    const zip = await get(`/projects/${pid()}/jobs/${build.id}/artifacts`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-disposition")).toContain("build-build.zip");
    expect(await zipNames(Buffer.from(await zip.arrayBuffer()))).toEqual(["out/a.txt", "out/sub/b.txt"]);
    const one = await get(`/projects/${pid()}/jobs/${build.id}/artifacts/out/sub/b.txt`);
    expect(one.status).toBe(200);
    expect(await one.text()).toBe("nested\n");
    expect((await get(`/projects/${pid()}/jobs/${build.id}/artifacts/out/skip.log`)).status).toBe(404);
    expect((await get(`/projects/${pid()}/jobs/${test.id}/artifacts`)).status).toBe(404);
    // A private project's artifacts are not served to anonymous callers.
    expect((await get(`/projects/${pid()}/jobs/${build.id}/artifacts`, null)).status).toBe(404);
    // The runner endpoint wants a running job's token.
    const runnerGet = await fetch(new URL(`/api/v4/jobs/${build.id}/artifacts`, webUrl), {
      headers: { "JOB-TOKEN": "glcbt-not-a-token" },
    });
    expect(runnerGet.status).toBe(403);

    // The job page shows the artifacts box; the browser lists a directory and serves one file.
    await db.project.update({ where: { id: t.project.id }, data: { visibility: "public" } });
    const base = `${webUrl}/${t.repo}/-/jobs/${build.id}`;
    const page = await (await fetch(base)).text();
    expect(page).toContain("Job artifacts");
    expect(page).toContain("These artifacts will be removed");
    const browse = await (await fetch(`${base}/artifacts/browse/out`)).text();
    expect(browse).toContain("a.txt");
    expect(browse).toContain(`/-/jobs/${build.id}/artifacts/browse/out/sub"`);
    expect(browse).not.toContain("skip.log");
    const raw = await fetch(`${base}/artifacts/file/out/a.txt`);
    expect(raw.headers.get("content-disposition")).toContain("attachment");
    expect(await raw.text()).toBe(`built-${sha.slice(0, 8)}\n`);
    await screenshot(`${base}/artifacts/browse/out`, "artifacts-browse.png");
    await screenshot(base, "job-artifacts-sidebar.png");
    await db.project.update({ where: { id: t.project.id }, data: { visibility: "private" } });

    // A maintainer deletes them; then they are gone.
    const del = await fetch(new URL(`/api/v4/projects/${pid()}/jobs/${build.id}/artifacts`, webUrl), {
      method: "DELETE",
      headers: { "PRIVATE-TOKEN": t.token },
    });
    expect(del.status).toBe(204);
    expect((await get(`/projects/${pid()}/jobs/${build.id}/artifacts`)).status).toBe(404);
  });

  it("stops serving expired artifacts and removes their files", async () => {
    const ci = `
build:
  script: [ "echo short-lived > keep.txt" ]
  artifacts:
    paths: [keep.txt]
    expire_in: 2 seconds
`;
    const sha = await t.push({ ".gitlab-ci.yml": ci }, "expiring artifacts");
    const { status, jobs } = await jobsOf(sha);
    expect(status).toBe("success");
    const id = jobs.get("build")!.id;
    const row = await db.jobArtifact.findFirstOrThrow({ where: { jobId: id, fileType: "archive" } });
    const dataDir = process.env["MINILAB_DATA_DIR"];
    const file = dataDir ? path.join(dataDir, "artifacts", row.storagePath) : null;
    await new Promise((r) => setTimeout(r, Math.max(0, row.expireAt!.getTime() - Date.now()) + 200));
    expect((await get(`/projects/${pid()}/jobs/${id}/artifacts`)).status).toBe(404);
    await expireArtifacts({ db });
    expect(await db.jobArtifact.count({ where: { jobId: id } })).toBe(0);
    if (file) expect(existsSync(file)).toBe(false);
  });

  it("restores the cache a previous pipeline saved", async () => {
    const ci = `
deps:
  cache:
    key: deps-$CI_COMMIT_REF_SLUG
    paths: [vendor/]
  script:
    - |
      if [ -f vendor/dep.txt ]; then echo "cache hit: $(cat vendor/dep.txt)"
      else echo "cache miss"; mkdir -p vendor; echo "from-pipeline-$CI_PIPELINE_ID" > vendor/dep.txt; fi
`;
    const first = await jobsOf(await t.push({ ".gitlab-ci.yml": ci }, "cache 1"));
    expect(first.status, first.jobs.get("deps")?.log).toBe("success");
    const log1 = first.jobs.get("deps")!.log;
    expect(log1).toContain("cache miss");
    expect(log1).toContain("Created cache");
    const second = await jobsOf(await t.push({ "other.txt": "x\n" }, "cache 2"));
    expect(second.status).toBe("success");
    const log2 = second.jobs.get("deps")!.log;
    expect(log2).toContain("Successfully extracted cache");
    expect(log2).toMatch(/cache hit: from-pipeline-\d+/);
  });
});
