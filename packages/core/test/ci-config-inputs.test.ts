/**
 * What pipeline creation and CI lint read from the repository, against a real bare repository and
 * real Postgres: `changes` (the push's diff; `compare_to`), `rules:exists` globs, wildcard includes,
 * the merged YAML and plan stored on the pipeline, and CI lint's answers and permission checks.
 * Needs DATABASE_URL (a server) and REDIS_URL.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, coreConfig, handlePush, lintCiConfig, lintProjectCiConfig } from "@minilab/core";
import { repoDir } from "@minilab/git";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

let f: CiFixture;
let work: string;
const ZERO = "0".repeat(40);

const git = (...args: string[]): string =>
  execFileSync("git", args, {
    cwd: work,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Ada",
      GIT_AUTHOR_EMAIL: "ada@example.com",
      GIT_COMMITTER_NAME: "Ada",
      GIT_COMMITTER_EMAIL: "ada@example.com",
    },
  }).trim();

beforeAll(async () => {
  f = await ciFixture();
  work = path.join(coreConfig().dataDir, "inputs-work");
  mkdirSync(work);
  git("init", "-q", "-b", "main");
  git("remote", "add", "origin", repoDir(coreConfig().reposDir, f.project.namespace, f.project.path));
});
afterAll(async () => {
  await f?.close();
});

/**
 * Commits on `branch` (created from `from` when given) writing `files` (null deletes), pushes, and
 * creates the push's pipelines the way the receive-pack route does. Returns the jobs' names.
 */
async function push(
  branch: string,
  files: Record<string, string | null>,
  opts: { from?: string } = {},
): Promise<{ sha: string; jobs: string[] | null; pipelineId: number | null }> {
  if (opts.from) git("checkout", "-q", "-b", branch, opts.from);
  else if (git("symbolic-ref", "--short", "HEAD") !== branch) git("checkout", "-q", branch);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(work, name);
    if (content === null) rmSync(file);
    else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
  git("add", "-A");
  git("commit", "-q", "--allow-empty", "-m", `change ${branch}`);
  const before = git("ls-remote", "origin", `refs/heads/${branch}`).split("\t")[0] || ZERO;
  git("push", "-q", "origin", `${branch}:refs/heads/${branch}`);
  const sha = git("rev-parse", "HEAD");
  const [pipeline] = await handlePush({
    db: f.t.db,
    project: f.project,
    userId: f.user.id,
    updates: [{ ref: `refs/heads/${branch}`, oldSha: before, newSha: sha }],
  });
  if (!pipeline) return { sha, jobs: null, pipelineId: null };
  const jobs = await f.t.db.job.findMany({ where: { pipelineId: pipeline.id }, orderBy: { id: "asc" } });
  return { sha, jobs: jobs.map((j) => j.name), pipelineId: pipeline.id };
}

const CHANGES = `
always:
  script: echo always
docs:
  script: make docs
  rules:
    - changes: ["docs/**/*"]
legacy-docs:
  script: make docs
  only:
    changes: ["docs/*.md"]
`;

describe("changes: against the push's before sha", () => {
  it("runs the job only when a matching file changed in the push", async () => {
    // A new branch: changed files unknown, so `changes` is true (as GitLab).
    expect((await push("main", { ".gitlab-ci.yml": CHANGES, "README.md": "hi\n" })).jobs).toEqual([
      "always",
      "docs",
      "legacy-docs",
    ]);
    expect((await push("main", { "docs/guide.md": "# Guide\n" })).jobs).toEqual([
      "always",
      "docs",
      "legacy-docs",
    ]);
    expect((await push("main", { "src/app.c": "int main;\n" })).jobs).toEqual(["always"]);
    // Deleting a matching file is a change too; a deeper path matches `**` but not `docs/*.md`.
    expect((await push("main", { "docs/guide.md": null, "docs/api/x.md": "x\n" })).jobs).toEqual([
      "always",
      "docs",
      "legacy-docs",
    ]);
    expect((await push("main", { "docs/api/x.md": "y\n" })).jobs).toEqual(["always", "docs"]);
  });

  it("diffs a new branch against the compare_to ref instead of treating it as unknown", async () => {
    const config = `
always:
  script: echo
docs:
  script: make docs
  rules:
    - changes:
        paths: ["docs/**/*"]
        compare_to: main
`;
    const base = await push("main", { ".gitlab-ci.yml": config });
    expect(base.jobs).toEqual(["always"]);
    expect((await push("feature-src", { "src/b.c": "b\n" }, { from: "main" })).jobs).toEqual(["always"]);
    expect((await push("feature-docs", { "docs/new.md": "new\n" }, { from: "main" })).jobs).toEqual([
      "always",
      "docs",
    ]);
  });

  it("fails the pipeline when compare_to names no ref", async () => {
    const config =
      "j:\n  script: x\n  rules:\n    - changes:\n        paths: [a]\n        compare_to: nope\n";
    const { pipelineId } = await push("main", { ".gitlab-ci.yml": config });
    const p = await f.t.db.pipeline.findUniqueOrThrow({ where: { id: pipelineId ?? 0 } });
    expect(p.status).toBe("failed");
    expect(p.yamlErrors).toContain("rules:changes:compare_to is not a valid ref");
  });
});

describe("repository files", () => {
  it("matches rules:exists globs against the commit's files", async () => {
    const config = `
plan:
  script: terraform plan
  rules:
    - exists: ["**/*.tf"]
lint:
  script: make lint
`;
    expect((await push("main", { ".gitlab-ci.yml": config })).jobs).toEqual(["lint"]);
    expect((await push("main", { "infra/prod/main.tf": "resource {}\n" })).jobs).toEqual(["plan", "lint"]);
  });

  it("expands wildcard includes and stores the merged YAML and the plan on the pipeline", async () => {
    const { pipelineId, jobs } = await push("main", {
      ".gitlab-ci.yml": "include: 'ci/*.yml'\nstages: [build, test]\n",
      "ci/build.yml": "compile:\n  stage: build\n  script: make\n",
      "ci/test.yml":
        ".base:\n  script: make test\nunit:\n  extends: .base\n  stage: test\n  needs: [compile]\n",
    });
    expect(jobs).toEqual(["compile", "unit"]);
    const p = await f.t.db.pipeline.findUniqueOrThrow({ where: { id: pipelineId ?? 0 } });
    expect(p.mergedYaml).toContain("compile:");
    // `extends: .base` folded in: the job carries the hidden job's script.
    expect(p.mergedYaml).toContain("unit:\n  script: make test\n  stage: test\n");
    expect(p.mergedYaml).not.toContain("include");
    const plan = p.plan as { stages: string[]; jobs: { name: string; needs: { name: string }[] | null }[] };
    expect(plan.stages).toEqual(["build", "test"]);
    expect(plan.jobs.map((j) => [j.name, j.needs?.map((n) => n.name) ?? null])).toEqual([
      ["compile", null],
      ["unit", ["compile"]],
    ]);
  });
});

describe("CI lint", () => {
  it("validates pasted YAML with includes read at the ref, and lists jobs in stage order", async () => {
    const r = await lintCiConfig({
      db: f.t.db,
      user: f.user,
      project: f.project,
      content:
        "include: 'ci/*.yml'\nstages: [build, test]\nlate:\n  stage: test\n  when: manual\n  script: x\n",
    });
    expect(r.valid).toBe(true);
    expect(r.includes.map((i) => i.location)).toEqual(["ci/build.yml", "ci/test.yml"]);
    expect(r.jobs.map((j) => [j.name, j.stage, j.when, j.allowFailure, j.needs])).toEqual([
      ["compile", "build", "on_success", false, null],
      ["unit", "test", "on_success", false, ["compile"]],
      ["late", "test", "manual", true, null],
    ]);
    expect(r.mergedYaml).toContain("late:");
  });

  it("reports problems with their line and column", async () => {
    const r = await lintCiConfig({
      db: f.t.db,
      user: f.user,
      project: f.project,
      content: "build:\n  script: make\n  needs: [missing]\ntest:\n  scrpt: x\n",
    });
    expect(r.valid).toBe(false);
    const unknown = r.errors.find((e) => e.message.includes("scrpt"));
    // The engine points at the offending key's value (column 10 of `  scrpt: x`).
    expect(unknown).toMatchObject({ file: ".gitlab-ci.yml", line: 5, column: 10 });
    expect(r.jobs).toEqual([]);
  });

  it("simulates the pipeline for a ref when asked (dry run)", async () => {
    const content =
      "a:\n  script: x\n  rules:\n    - if: $CI_COMMIT_BRANCH == 'feature-src'\nb:\n  script: y\n";
    const main = await lintCiConfig({ db: f.t.db, user: f.user, project: f.project, content, dryRun: true });
    expect(main.jobs.map((j) => j.name)).toEqual(["b"]);
    const feature = await lintCiConfig({
      ...{ db: f.t.db, user: f.user, project: f.project, content },
      dryRun: true,
      ref: "feature-src",
    });
    expect(feature.jobs.map((j) => j.name)).toEqual(["a", "b"]);
    await expect(
      lintCiConfig({ db: f.t.db, user: f.user, project: f.project, content, ref: "no-such-branch" }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("lints the project's own file at a ref", async () => {
    const r = await lintProjectCiConfig({ db: f.t.db, user: f.user, project: f.project, contentRef: "main" });
    expect(r.content).toContain("include: 'ci/*.yml'");
    expect(r.valid).toBe(true);
    expect(r.jobs.map((j) => j.name)).toEqual(["compile", "unit"]);
  });

  it("refuses reporters pasted content but lets them lint the project's file; hides private projects", async () => {
    const reporter = await f.t.db.user.create({
      data: { username: "rita", email: "rita@example.com", name: "Rita", passwordHash: "x" },
    });
    const outsider = await f.t.db.user.create({
      data: { username: "otto", email: "otto@example.com", name: "Otto", passwordHash: "x" },
    });
    await f.t.db.projectMember.create({
      data: { projectId: f.project.id, userId: reporter.id, accessLevel: 20 },
    });
    const base = { db: f.t.db, project: f.project };
    const refused = lintCiConfig({ ...base, user: reporter, content: "j:\n  script: x\n" });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: "forbidden" });
    expect((await lintProjectCiConfig({ ...base, user: reporter })).valid).toBe(true);
    await expect(lintProjectCiConfig({ ...base, user: outsider })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(lintCiConfig({ ...base, user: null, content: "j:\n  script: x\n" })).rejects.toMatchObject({
      code: "unauthorized",
    });
  });
});
