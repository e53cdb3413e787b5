/**
 * The git routes' auth matrix and push → handlePush wiring, driven by the real git CLI against
 * apps/web/src/server/git-http.ts. Core's DB-backed look-ups are replaced by in-memory fakes
 * (permission rules stay the real ones), so this needs no Postgres.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import type * as Core from "@minilab/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const state = vi.hoisted(() => ({
  reposDir: "",
  pushes: [] as Array<{ projectId: number; userId: number; updates: unknown[] }>,
  pushError: false,
}));

vi.mock("@minilab/db", () => ({ getDb: () => ({}) }));
vi.mock("@minilab/core", async (importOriginal) => {
  const real = await importOriginal<typeof Core>();
  const user = (id: number, username: string) => ({ id, username, isAdmin: false });
  const users: Record<string, { password: string; user: ReturnType<typeof user>; scopes: string[] }> = {
    owner: { password: "owner-pw", user: user(1, "owner"), scopes: ["api"] },
    readtoken: { password: "glpat-read", user: user(1, "owner"), scopes: ["read_repository"] },
    stranger: { password: "stranger-pw", user: user(2, "stranger"), scopes: ["api"] },
  };
  const projects: Record<
    string,
    { id: number; namespace: string; path: string; visibility: string; ownerId: number }
  > = {
    "owner/public": { id: 10, namespace: "owner", path: "public", visibility: "public", ownerId: 1 },
    "owner/secret": { id: 11, namespace: "owner", path: "secret", visibility: "private", ownerId: 1 },
  };
  const jobs: Record<string, { projectId: number; status: string }> = {
    "job-running": { projectId: 11, status: "running" },
    "job-done": { projectId: 11, status: "success" },
  };
  return {
    ...real,
    coreConfig: () => ({ ...real.coreConfig(), reposDir: state.reposDir }),
    findProject: async ({ ref }: { ref: string }) => projects[ref.toLowerCase()] ?? null,
    authenticateBasic: async ({ username, password }: { username: string; password: string }) => {
      const u = users[username === "owner" && password === "glpat-read" ? "readtoken" : username];
      return u && u.password === password ? { user: u.user, scopes: u.scopes } : null;
    },
    authenticateJobToken: async ({ token }: { token: string }) => (jobs[token] ? { job: jobs[token] } : null),
    findProjectRedirect: async () => null,
    // Only the owner is a member (owner level); no protected branches in this file.
    accessLevelFor: async ({
      user,
      project,
    }: {
      user: { id: number } | null;
      project: { ownerId: number };
    }) => (user && user.id === project.ownerId ? 50 : 0),
    pushPolicyFor: async ({ level }: { level: number }) => ({ level, rules: [] }),
    recordPush: async (o: { project: { id: number }; userId: number; updates: unknown[] }) => {
      await new Promise((r) => setTimeout(r, 200)); // the push must wait for this
      state.pushes.push({ projectId: o.project.id, userId: o.userId, updates: o.updates });
      if (state.pushError) throw new Error("pipeline creation exploded");
      return { events: [], pipelines: [] };
    },
  };
});

const { gitInfoRefs, gitServiceRpc } = await import("../src/server/git-http.ts");
const { initBareRepo, repoDir } = await import("@minilab/git");

let server: Server;
let base: string;
let tmp: string;

function run(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "A",
    GIT_AUTHOR_EMAIL: "a@example.test",
    GIT_COMMITTER_NAME: "A",
    GIT_COMMITTER_EMAIL: "a@example.test",
  };
  return new Promise((resolve, reject) =>
    execFile("git", args, { cwd, env }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(new Error(err.message, { cause: err }));
      resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
    }),
  );
}

/** Mirrors the App Router file layout: /[namespace]/[project]/(info/refs|git-upload-pack|git-receive-pack). */
async function route(req: Request): Promise<Response> {
  const m = /^\/([^/]+)\/([^/]+)\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(
    new URL(req.url).pathname,
  );
  if (!m) return new Response("no route", { status: 404 });
  const params = Promise.resolve({ namespace: m[1]!, project: m[2]! });
  if (m[3] === "info/refs")
    return req.method === "GET" ? gitInfoRefs(req, params) : new Response(null, { status: 405 });
  return gitServiceRpc(req, params, m[3] as "git-upload-pack" | "git-receive-pack");
}

const url = (cred: string | null, path: string) =>
  `${base.replace("://", `://${cred ? `${cred}@` : ""}`)}/${path}`;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "minilab-git-http-test-"));
  state.reposDir = join(tmp, "repos");
  for (const p of ["public", "secret"]) await initBareRepo(repoDir(state.reposDir, "owner", p));
  server = createServer((nreq, nres) => {
    const hasBody = nreq.method !== "GET" && nreq.method !== "HEAD";
    const req = new Request(`http://localhost${nreq.url}`, {
      method: nreq.method,
      headers: nreq.headers,
      ...(hasBody ? { body: Readable.toWeb(nreq) as unknown as ReadableStream, duplex: "half" } : {}),
    } as RequestInit);
    void route(req).then(async (res) => {
      nres.writeHead(res.status, Object.fromEntries(res.headers));
      if (res.body)
        for await (const c of Readable.fromWeb(res.body as unknown as NodeWebReadableStream)) nres.write(c);
      nres.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Seed both repos with one commit pushed by the owner.
  const seed = join(tmp, "seed");
  await run(tmp, ["init", "-q", "-b", "main", seed]);
  await writeFile(join(seed, "README.md"), "hi\n");
  await run(seed, ["add", "."]);
  await run(seed, ["commit", "-q", "-m", "init"]);
  for (const p of ["public", "secret"]) {
    const r = await run(seed, ["push", "-q", url("owner:owner-pw", `owner/${p}.git`), "main"]);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await rm(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  state.pushes.length = 0;
  state.pushError = false;
});

/** fetch() refuses credentials in URLs, so Basic auth goes in the header. */
function get(cred: string | null, path: string): Promise<Response> {
  const headers: Record<string, string> = cred
    ? { Authorization: `Basic ${Buffer.from(cred).toString("base64")}` }
    : {};
  return fetch(url(null, path), { headers });
}

async function clone(cred: string | null, path: string) {
  const dest = await mkdtemp(join(tmp, "clone-"));
  return run(tmp, ["clone", "-q", url(cred, path), dest]);
}

async function pushNewBranch(cred: string | null, path: string, branch: string) {
  const dir = await mkdtemp(join(tmp, "push-"));
  await run(tmp, ["clone", "-q", url("owner:owner-pw", path), dir]);
  await writeFile(join(dir, `${branch}.txt`), branch);
  await run(dir, ["add", "."]);
  await run(dir, ["commit", "-q", "-m", branch]);
  const started = Date.now();
  const r = await run(dir, ["push", url(cred, path), `HEAD:refs/heads/${branch}`]);
  return { ...r, ms: Date.now() - started, sha: (await run(dir, ["rev-parse", "HEAD"])).stdout.trim() };
}

describe("git smart HTTP routes", () => {
  it("lets anyone clone a public project, with or without .git", async () => {
    expect((await clone(null, "owner/public.git")).code).toBe(0);
    expect((await clone(null, "owner/public")).code).toBe(0);
  });

  it("asks anonymous callers for credentials on private or unknown projects and on push", async () => {
    for (const path of ["owner/secret.git", "owner/nope.git"]) {
      const res = await fetch(url(null, `${path}/info/refs?service=git-upload-pack`));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Basic realm="minilab"');
    }
    const push = await fetch(url(null, "owner/public.git/info/refs?service=git-receive-pack"));
    expect(push.status).toBe(401);
  });

  it("401s bad credentials and 404s private projects for outsiders", async () => {
    expect((await clone("owner:wrong", "owner/secret.git")).stderr).toMatch(/Authentication failed|401/);
    const res = await get("stranger:stranger-pw", "owner/secret.git/info/refs?service=git-upload-pack");
    expect(res.status).toBe(404);
    expect((await clone("owner:owner-pw", "owner/secret.git")).code).toBe(0);
  });

  it("403s a push by someone who can read but not write, with a message git shows", async () => {
    const r = await pushNewBranch("stranger:stranger-pw", "owner/public.git", "nope");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("You are not allowed to push code to this project.");
    expect(state.pushes).toEqual([]);
  });

  it("enforces PAT scopes: read_repository clones but cannot push", async () => {
    expect((await clone("owner:glpat-read", "owner/secret.git")).code).toBe(0);
    const r = await pushNewBranch("owner:glpat-read", "owner/secret.git", "scoped");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/scope/);
  });

  it("gives a running job's token read access to its own project only", async () => {
    expect((await clone("gitlab-ci-token:job-running", "owner/secret.git")).code).toBe(0);
    expect((await clone("gitlab-ci-token:job-done", "owner/secret.git")).code).not.toBe(0);
    // Another project, even a public one, is invisible to the token; its own project is read-only.
    expect(
      (await get("gitlab-ci-token:job-running", "owner/public.git/info/refs?service=git-upload-pack")).status,
    ).toBe(404);
    expect(
      (await get("gitlab-ci-token:job-running", "owner/secret.git/info/refs?service=git-receive-pack"))
        .status,
    ).toBe(403);
    const r = await pushNewBranch("gitlab-ci-token:job-running", "owner/secret.git", "from-ci");
    expect(r.code).not.toBe(0);
  });

  it("records the accepted updates (recordPush) before the push returns", async () => {
    const r = await pushNewBranch("owner:owner-pw", "owner/secret.git", "feature");
    expect(r.code, r.stderr).toBe(0);
    expect(state.pushes).toEqual([
      {
        projectId: 11,
        userId: 1,
        updates: [{ ref: "refs/heads/feature", oldSha: "0".repeat(40), newSha: r.sha }],
      },
    ]);
    expect(r.ms).toBeGreaterThanOrEqual(200);
  });

  it("still reports success when recordPush fails after git accepted the push", async () => {
    state.pushError = true;
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const r = await pushNewBranch("owner:owner-pw", "owner/secret.git", "feature2");
    expect(r.code, r.stderr).toBe(0);
    expect(state.pushes).toHaveLength(1);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("refuses dumb HTTP (403), unknown services (400) and a wrong Content-Type (415) in plain text", async () => {
    const dumb = await fetch(url(null, "owner/public.git/info/refs"));
    expect(dumb.status).toBe(403);
    expect(await dumb.text()).toMatch(/Dumb HTTP/);
    const unknown = await fetch(url(null, "owner/public.git/info/refs?service=git-frobnicate"));
    expect(unknown.status).toBe(400);
    const badType = await fetch(url(null, "owner/public.git/git-upload-pack"), { method: "POST", body: "x" });
    expect(badType.status).toBe(415);
  });
});
