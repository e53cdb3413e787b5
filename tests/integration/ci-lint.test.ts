/**
 * GitLab's project CI lint API on the real stack: `POST /projects/:id/ci/lint` (pasted content) and
 * `GET /projects/:id/ci/lint` (the project's file at a ref), their answers for valid and invalid YAML,
 * 400s for bad input and the permission refusals GitLab gives.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPersonalAccessToken, createUser } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

interface LintBody {
  valid: boolean;
  errors: string[];
  warnings: string[];
  merged_yaml: string | null;
  includes: { type: string; location: string; context_sha: string }[];
  jobs?: {
    name: string;
    stage: string;
    when: string;
    allow_failure: boolean;
    needs: { name: string }[] | null;
  }[];
}

describe.runIf(webUrl)("CI lint API", () => {
  let db: Db;
  let t: TestProject;
  let sha: string;
  let reporterToken: string;
  let readOnlyToken: string;
  let outsiderToken: string;

  const url = (query = "") =>
    new URL(`/api/v4/projects/${encodeURIComponent(t.repo)}/ci/lint${query}`, webUrl);
  const post = (body: unknown, token: string | null = t.token) =>
    fetch(url(), {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { "PRIVATE-TOKEN": token } : {}) },
      body: JSON.stringify(body),
    });
  const get = (query: string, token: string | null = t.token) =>
    fetch(url(query), { headers: token ? { "PRIVATE-TOKEN": token } : {} });

  async function userToken(name: string, scopes: string[]): Promise<{ id: number; token: string }> {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const user = await createUser({
      db,
      username: `${name}-${suffix}`,
      email: `${name}-${suffix}@example.com`,
      password: "secret-password",
    });
    const { token } = await createPersonalAccessToken({ db, userId: user.id, name: "t", scopes });
    return { id: user.id, token };
  }

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    t = await testProject(db, "lint");
    await mkdir(path.join(t.work, "ci"));
    sha = await t.push(
      {
        ".gitlab-ci.yml": "include: 'ci/*.yml'\nstages: [build, test]\n",
        "ci/build.yml": "compile:\n  stage: build\n  script: echo compile\n",
      },
      "ci",
    );
    const reporter = await userToken("rep", ["api"]);
    await db.projectMember.create({
      data: { projectId: t.project.id, userId: reporter.id, accessLevel: 20 },
    });
    reporterToken = reporter.token;
    readOnlyToken = (
      await createPersonalAccessToken({ db, userId: t.user.id, name: "ro", scopes: ["read_api"] })
    ).token;
    outsiderToken = (await userToken("out", ["api"])).token;
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it("validates pasted YAML, merging the repository's includes, and lists the jobs when asked", async () => {
    const res = await post({
      content:
        "include: 'ci/*.yml'\nstages: [build, test]\nunit:\n  stage: test\n  needs: [compile]\n  script: echo\n",
      include_jobs: true,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as LintBody;
    expect(body.valid).toBe(true);
    expect(body.errors).toEqual([]);
    expect(body.merged_yaml).toContain("compile:");
    expect(body.includes).toEqual([
      expect.objectContaining({ type: "local", location: "ci/build.yml", context_sha: sha }),
    ]);
    expect(body.jobs?.map((j) => [j.name, j.stage, j.when, j.allow_failure, j.needs])).toEqual([
      ["compile", "build", "on_success", false, null],
      ["unit", "test", "on_success", false, [{ name: "compile" }]],
    ]);
    // Without include_jobs, no job list (as GitLab).
    expect("jobs" in ((await (await post({ content: "j:\n  script: x\n" })).json()) as object)).toBe(false);
  });

  it("answers valid: false with GitLab's messages for an invalid configuration", async () => {
    const res = await post({ content: "build:\n  script: make\n  needs: [nope]\n" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as LintBody;
    expect(body.valid).toBe(false);
    expect(body.errors.join("\n")).toMatch(/nope/);
    expect(body.merged_yaml).toBeNull();
  });

  it("simulates the pipeline for a ref on dry_run", async () => {
    const content = "a:\n  script: x\n  rules:\n    - if: $CI_COMMIT_BRANCH != 'main'\nb:\n  script: y\n";
    const body = (await (await post({ content, dry_run: true, include_jobs: true })).json()) as LintBody;
    expect(body.jobs?.map((j) => j.name)).toEqual(["b"]);
  });

  it("lints the project's own file at a ref (GET)", async () => {
    const res = await get(`?content_ref=main&include_jobs=true`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as LintBody;
    expect(body.valid).toBe(true);
    expect(body.jobs?.map((j) => j.name)).toEqual(["compile"]);
    expect((await get("?content_ref=no-such-branch")).status).toBe(404);
  });

  it("answers 400 for missing or malformed parameters", async () => {
    const missing = await post({ dry_run: true });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "content is missing" });
    const bad = await post({ content: "j:\n  script: x\n", dry_run: "maybe" });
    expect(bad.status).toBe(400);
    const notJson = await fetch(url(), {
      method: "POST",
      headers: { "content-type": "application/json", "PRIVATE-TOKEN": t.token },
      body: "{",
    });
    expect(notJson.status).toBe(400);
  });

  it("refuses callers GitLab refuses", async () => {
    const content = { content: "j:\n  script: x\n" };
    // Reporters may not create pipelines, so not lint pasted content; they may lint the project's file.
    expect((await post(content, reporterToken)).status).toBe(403);
    expect((await get("", reporterToken)).status).toBe(200);
    // A read_api token cannot POST.
    const scoped = await post(content, readOnlyToken);
    expect(scoped.status).toBe(403);
    expect(((await scoped.json()) as { error: string }).error).toBe("insufficient_scope");
    // The project is private: outsiders and anonymous callers do not learn it exists.
    expect((await post(content, outsiderToken)).status).toBe(404);
    expect((await get("", outsiderToken)).status).toBe(404);
    expect((await post(content, null)).status).toBe(404);
  });
});
