/**
 * The push → pipeline → runner path on the real stack the test orchestrator started (web app, runner,
 * Postgres, Redis, Docker) with the stock git client, plus the auth refusals a git user meets.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@minilab/db";
import { createPersonalAccessToken, createProject, createUser } from "@minilab/core";

const webUrl = process.env["MINILAB_WEB_URL"];
const run = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run("git", ["-c", "credential.helper=", ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "Alice",
      GIT_AUTHOR_EMAIL: "alice@example.com",
      GIT_COMMITTER_NAME: "Alice",
      GIT_COMMITTER_EMAIL: "alice@example.com",
    },
  });
}

async function gitFails(cwd: string, ...args: string[]): Promise<string> {
  try {
    await git(cwd, ...args);
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
  throw new Error(`git ${args.join(" ")} unexpectedly succeeded`);
}

function url(user: string | null, secret: string | null, repoPath: string): string {
  const u = new URL(`/${repoPath}.git`, webUrl);
  if (user) u.username = user;
  if (secret) u.password = secret;
  return u.toString();
}

interface ApiPipeline {
  id: number;
  ref: string;
  sha: string;
  status: string;
}
interface ApiJob {
  id: number;
  name: string;
  stage: string;
  status: string;
}

describe.runIf(webUrl)("push → pipeline → runner", () => {
  const suffix = Date.now().toString(36);
  let db: Db;
  let work: string;
  let alice: { username: string; token: string; readToken: string };
  let bobToken: string;
  let repo: string;

  async function api<T>(p: string): Promise<T> {
    const res = await fetch(new URL(`/api/v4${p}`, webUrl), { headers: { "PRIVATE-TOKEN": alice.token } });
    expect(res.status, `GET ${p}`).toBe(200);
    return (await res.json()) as T;
  }

  async function waitForPipeline(sha: string, done: (p: ApiPipeline) => boolean): Promise<ApiPipeline> {
    const id = encodeURIComponent(repo);
    for (let i = 0; i < 600; i++) {
      const list = await api<ApiPipeline[]>(`/projects/${id}/pipelines`);
      const p = list.find((x) => x.sha === sha);
      if (p && done(p)) return p;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`pipeline for ${sha} did not finish`);
  }

  async function commit(files: Record<string, string>, message: string): Promise<string> {
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(work, name), content);
    await git(work, "add", "-A");
    await git(work, "commit", "-q", "-m", message);
    return (await git(work, "rev-parse", "HEAD")).stdout.trim();
  }

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    const a = await createUser({
      db,
      username: `alice-${suffix}`,
      email: `alice-${suffix}@example.com`,
      password: "secret-password",
    });
    const b = await createUser({
      db,
      username: `bob-${suffix}`,
      email: `bob-${suffix}@example.com`,
      password: "secret-password",
    });
    const write = await createPersonalAccessToken({
      db,
      userId: a.id,
      name: "rw",
      scopes: ["api", "write_repository"],
    });
    const read = await createPersonalAccessToken({
      db,
      userId: a.id,
      name: "ro",
      scopes: ["read_repository"],
    });
    const bt = await createPersonalAccessToken({
      db,
      userId: b.id,
      name: "bob",
      scopes: ["api", "write_repository"],
    });
    alice = { username: a.username, token: write.token, readToken: read.token };
    bobToken = bt.token;
    const project = await createProject({ db, owner: a, name: "demo" });
    repo = `${project.namespace}/${project.path}`;
    work = await mkdtemp(path.join(tmpdir(), "minilab-it-"));
    await git(work, "init", "-q", "-b", "main");
  });

  afterAll(async () => {
    await db?.$disconnect();
  });

  it("refuses an anonymous push with 401 so git asks for credentials", async () => {
    const res = await fetch(new URL(`/${repo}.git/info/refs?service=git-receive-pack`, webUrl));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic/);
    await commit({ "README.md": "# demo\n" }, "Initial commit");
    const err = await gitFails(work, "push", url(null, null, repo), "main");
    expect(err).toMatch(/could not read Username|Authentication failed/);
  });

  it("answers someone else's private project as if it did not exist", async () => {
    const res = await fetch(new URL(`/${repo}.git/info/refs?service=git-upload-pack`, webUrl), {
      headers: { Authorization: `Basic ${Buffer.from(`bob-${suffix}:${bobToken}`).toString("base64")}` },
    });
    expect(res.status).toBe(404);
    const err = await gitFails(work, "push", url(`bob-${suffix}`, bobToken, repo), "main");
    expect(err).toMatch(/not found/i);
  });

  it("refuses a push with a read-only token", async () => {
    const err = await gitFails(work, "push", url(alice.username, alice.readToken, repo), "main");
    expect(err).toMatch(/403|denied|not allowed/i);
  });

  it("creates no pipeline for a push without .gitlab-ci.yml", async () => {
    await git(work, "push", "-q", url(alice.username, alice.token, repo), "main");
    const list = await api<ApiPipeline[]>(`/projects/${encodeURIComponent(repo)}/pipelines`);
    expect(list).toEqual([]);
  });

  it("runs a two-stage pipeline with variables, scripts and predefined CI variables", async () => {
    const sha = await commit(
      {
        ".gitlab-ci.yml": `
variables:
  GREETING: hello
  OVERRIDDEN: global
stages: [build, test]
build:
  stage: build
  variables:
    OVERRIDDEN: job
  before_script:
    - echo "before $GREETING"
  script:
    - echo "sha=$CI_COMMIT_SHA ref=$CI_COMMIT_REF_NAME source=$CI_PIPELINE_SOURCE"
    - echo "overridden=$OVERRIDDEN project=$CI_PROJECT_PATH"
    - test -f README.md && echo "checked out"
  after_script:
    - echo "cleanup ran"
test:
  stage: test
  script:
    - echo "job=$CI_JOB_NAME stage=$CI_JOB_STAGE"
`,
      },
      "Add CI",
    );
    await git(work, "push", "-q", url(alice.username, alice.token, repo), "main");
    const p = await waitForPipeline(sha, (x) => ["success", "failed", "canceled"].includes(x.status));
    expect(p.status).toBe("success");
    expect(p.ref).toBe("main");
    const jobs = await api<ApiJob[]>(`/projects/${encodeURIComponent(repo)}/pipelines/${p.id}/jobs`);
    expect(jobs.map((j) => [j.name, j.stage, j.status]).sort()).toEqual([
      ["build", "build", "success"],
      ["test", "test", "success"],
    ]);
    const build = jobs.find((j) => j.name === "build");
    const trace = await (
      await fetch(new URL(`/api/v4/projects/${encodeURIComponent(repo)}/jobs/${build?.id}/trace`, webUrl), {
        headers: { "PRIVATE-TOKEN": alice.token },
      })
    ).text();
    expect(trace).toContain("before hello");
    expect(trace).toContain(`sha=${sha} ref=main source=push`);
    expect(trace).toContain(`overridden=job project=${repo}`);
    expect(trace).toContain("checked out");
    expect(trace).toContain("cleanup ran");
  });

  it("fails the pipeline and skips later stages when a first-stage job fails", async () => {
    const sha = await commit(
      {
        ".gitlab-ci.yml": `
stages: [build, deploy]
compile:
  stage: build
  script:
    - echo "about to fail"
    - exit 7
ship:
  stage: deploy
  script: [echo never]
`,
      },
      "Break it",
    );
    await git(work, "push", "-q", url(alice.username, alice.token, repo), "main");
    const p = await waitForPipeline(sha, (x) => ["success", "failed", "canceled"].includes(x.status));
    expect(p.status).toBe("failed");
    const jobs = await api<ApiJob[]>(`/projects/${encodeURIComponent(repo)}/pipelines/${p.id}/jobs`);
    expect(Object.fromEntries(jobs.map((j) => [j.name, j.status]))).toEqual({
      compile: "failed",
      ship: "skipped",
    });
  });

  it("records an invalid .gitlab-ci.yml as a failed pipeline with the error", async () => {
    const sha = await commit({ ".gitlab-ci.yml": "build:\n  stage: build\n" }, "No script");
    await git(work, "push", "-q", url(alice.username, alice.token, repo), "main");
    const p = await waitForPipeline(sha, () => true);
    expect(p.status).toBe("failed");
    const row = await db.pipeline.findUniqueOrThrow({ where: { id: p.id } });
    expect(row.yamlErrors).toMatch(/script/);
  });

  it("serves clone and fetch with a token", async () => {
    const clone = await mkdtemp(path.join(tmpdir(), "minilab-clone-"));
    await git(clone, "clone", "-q", url(alice.username, alice.readToken, repo), "c");
    const head = (await git(path.join(clone, "c"), "rev-parse", "HEAD")).stdout.trim();
    expect(head).toBe((await git(work, "rev-parse", "HEAD")).stdout.trim());
    await commit({ "more.txt": "more\n" }, "More");
    await git(work, "push", "-q", url(alice.username, alice.token, repo), "main");
    await git(path.join(clone, "c"), "fetch", "-q", "origin");
    const fetched = (await git(path.join(clone, "c"), "rev-parse", "origin/main")).stdout.trim();
    expect(fetched).toBe((await git(work, "rev-parse", "HEAD")).stdout.trim());
  });
});
