/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- API response bodies are arbitrary JSON, asserted field by field. */
/**
 * REST API v4 authentication, pagination and the projects endpoints, with the real route handlers,
 * the real core and Postgres: what a GitLab client sees (status codes, GitLab's bodies, headers).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as DbModule from "@minilab/db";
import type { Project, User } from "@minilab/db";

const state = vi.hoisted((): { db: unknown } => ({ db: null }));
vi.mock("@minilab/db", async (importOriginal) => ({
  ...(await importOriginal<typeof DbModule>()),
  getDb: () => state.db,
}));
vi.mock("next/headers", () => ({ cookies: () => Promise.resolve({ get: () => undefined }) }));

const { createTestDatabase } = await import("@minilab/db/testing");
const core = await import("@minilab/core");
const { api, enc, apiUser, tempDataDir } = await import("./helpers/api-client.ts");

describe("API v4: auth, pagination, projects", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let cleanup: () => Promise<void>;
  let alice: User;
  let bob: User;
  let aliceToken: string;
  let bobToken: string;
  let readOnly: string;
  let userOnly: string;
  let priv: Project;

  const mkUser = (username: string, isAdmin = false) => apiUser(t.db, username, isAdmin);
  const mkToken = async (userId: number, scopes: string[]) =>
    (await core.createPersonalAccessToken({ db: t.db, userId, name: scopes.join("+"), scopes })).token;

  beforeAll(async () => {
    t = await createTestDatabase();
    state.db = t.db;
    cleanup = await tempDataDir();
    alice = await mkUser("alice");
    bob = await mkUser("bob");
    aliceToken = await mkToken(alice.id, ["api"]);
    bobToken = await mkToken(bob.id, ["api"]);
    readOnly = await mkToken(alice.id, ["read_api"]);
    userOnly = await mkToken(alice.id, ["read_user"]);
    priv = await core.createProject({ db: t.db, owner: alice, name: "secret" });
    for (const [name, visibility] of [
      ["pub-one", "public"],
      ["pub-two", "public"],
      ["internal-one", "internal"],
    ] as const)
      await core.createProject({ db: t.db, owner: alice, name, visibility });
  });
  afterAll(async () => {
    await t?.drop();
    await cleanup?.();
  });

  describe("authentication", () => {
    it("accepts PRIVATE-TOKEN, Bearer and ?private_token=", async () => {
      for (const r of [
        await api("GET", "/user", { token: aliceToken }),
        await api("GET", "/user", { bearer: aliceToken }),
        await api("GET", `/user?private_token=${aliceToken}`),
      ]) {
        expect(r.status).toBe(200);
        expect(r.body.username).toBe("alice");
        expect(r.body.email).toBe("alice@example.test");
      }
    });

    it("answers 401 for no, unknown or revoked tokens", async () => {
      expect((await api("GET", "/user")).status).toBe(401);
      const bad = await api("GET", "/user", { token: "glpat-not-a-token" });
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual({ message: "401 Unauthorized" });
      const doomed = await mkToken(alice.id, ["api"]);
      const self = await api("GET", "/personal_access_tokens/self", { token: doomed });
      expect((await api("DELETE", "/personal_access_tokens/self", { token: doomed })).status).toBe(204);
      expect((await api("GET", "/projects", { token: doomed })).status).toBe(401);
      expect(self.body.active).toBe(true);
    });

    it("enforces scopes: read_api cannot write, read_user reads only users", async () => {
      expect((await api("GET", `/projects/${priv.id}`, { token: readOnly })).status).toBe(200);
      const write = await api("POST", "/projects", { token: readOnly, body: { name: "nope" } });
      expect(write.status).toBe(403);
      expect(write.body).toMatchObject({ error: "insufficient_scope", scope: "api" });
      expect((await api("GET", "/user", { token: userOnly })).status).toBe(200);
      const projects = await api("GET", "/projects", { token: userOnly });
      expect(projects.status).toBe(403);
      expect(projects.body.error).toBe("insufficient_scope");
    });

    it("refuses a CI job token outside the job-token endpoints, and once the job stopped", async () => {
      const pipeline = await t.db.pipeline.create({
        data: {
          iid: 1,
          projectId: priv.id,
          ref: "main",
          sha: "a".repeat(40),
          beforeSha: "0".repeat(40),
          source: "push",
          userId: alice.id,
        },
      });
      const jobToken = `glcbt-${"x".repeat(32)}`;
      const job = await t.db.job.create({
        data: {
          pipelineId: pipeline.id,
          projectId: priv.id,
          name: "build",
          stage: "test",
          stageIdx: 0,
          status: "running",
          spec: {},
          tokenHash: core.sha256Hex(jobToken),
          startedAt: new Date(),
        },
      });
      const r = await api("GET", "/job", { jobToken });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: job.id,
        name: "build",
        status: "running",
        user: { username: "alice" },
      });
      expect((await api("GET", `/projects/${priv.id}`, { jobToken })).status).toBe(401);
      expect((await api("GET", "/job", { token: aliceToken })).status).toBe(401);
      await t.db.job.update({ where: { id: job.id }, data: { status: "success" } });
      expect((await api("GET", "/job", { jobToken })).status).toBe(401);
    });
  });

  describe("GET /projects", () => {
    it("lists what the caller may see: anonymous public only, others by visibility and membership", async () => {
      const anon = await api("GET", "/projects");
      expect(anon.status).toBe(200);
      expect(anon.body.map((p: { path: string }) => p.path).sort()).toEqual(["pub-one", "pub-two"]);
      const asBob = await api("GET", "/projects", { token: bobToken });
      expect(asBob.body.map((p: { path: string }) => p.path).sort()).toEqual([
        "internal-one",
        "pub-one",
        "pub-two",
      ]);
      const asAlice = await api("GET", "/projects?owned=true", { token: aliceToken });
      expect(asAlice.body).toHaveLength(4);
      expect((await api("GET", "/projects?membership=true", { token: bobToken })).body).toEqual([]);
      const search = await api("GET", "/projects?search=PUB&order_by=name&sort=asc", { token: bobToken });
      expect(search.body.map((p: { name: string }) => p.name)).toEqual(["pub-one", "pub-two"]);
    });

    it("paginates with GitLab's headers", async () => {
      const p1 = await api("GET", "/projects?per_page=3&order_by=id&sort=asc", { token: aliceToken });
      expect(p1.body).toHaveLength(3);
      expect(p1.headers.get("x-total")).toBe("4");
      expect(p1.headers.get("x-total-pages")).toBe("2");
      expect(p1.headers.get("x-page")).toBe("1");
      expect(p1.headers.get("x-per-page")).toBe("3");
      expect(p1.headers.get("x-next-page")).toBe("2");
      expect(p1.headers.get("x-prev-page")).toBe("");
      const links = parseLinks(p1.headers.get("link"));
      expect(links["next"]?.get("page")).toBe("2");
      expect(links["next"]?.get("per_page")).toBe("3");
      expect(links["next"]?.get("order_by")).toBe("id");
      expect(links["first"]?.get("page")).toBe("1");
      expect(links["last"]?.get("page")).toBe("2");
      expect(links["prev"]).toBeUndefined();
      const p2 = await api("GET", "/projects?per_page=3&page=2&order_by=id&sort=asc", { token: aliceToken });
      expect(p2.body).toHaveLength(1);
      expect(p2.headers.get("x-next-page")).toBe("");
      expect(p2.headers.get("x-prev-page")).toBe("1");
      expect(parseLinks(p2.headers.get("link"))["prev"]?.get("page")).toBe("1");
      expect(p1.body.map((p: { id: number }) => p.id)).not.toContain(p2.body[0].id);
      // Clamped like GitLab; a token in the query string never leaks into the links.
      const big = await api("GET", `/projects?per_page=1000&private_token=${aliceToken}`);
      expect(big.headers.get("x-per-page")).toBe("100");
      expect(big.headers.get("link")).not.toContain(aliceToken);
      const bad = await api("GET", "/projects?page=abc");
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: "page is invalid" });
    });

    it("rejects bad filters with the parameter named", async () => {
      const r = await api("GET", "/projects?visibility=secret&order_by=stars", { token: aliceToken });
      expect(r.status).toBe(400);
      expect(r.body.error).toContain("visibility does not have a valid value");
      expect(r.body.error).toContain("order_by does not have a valid value");
    });
  });

  describe("single project", () => {
    it("hides a private project from outsiders and anonymous callers alike (404)", async () => {
      expect((await api("GET", `/projects/${priv.id}`, { token: aliceToken })).body.path_with_namespace).toBe(
        "alice/secret",
      );
      expect((await api("GET", `/projects/${enc("alice/secret")}`, { token: aliceToken })).status).toBe(200);
      for (const r of [
        await api("GET", `/projects/${priv.id}`, { token: bobToken }),
        await api("GET", `/projects/${priv.id}`),
      ]) {
        expect(r.status).toBe(404);
        expect(r.body).toEqual({ message: "404 Project Not Found" });
      }
    });

    it("creates projects in the caller's namespace (201), refusing bad and taken paths with 400", async () => {
      const r = await api("POST", "/projects", {
        token: bobToken,
        body: { name: "My Tool", visibility: "internal", description: "d" },
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        path_with_namespace: "bob/my-tool",
        visibility: "internal",
        description: "d",
      });
      const form = await api("POST", "/projects", {
        token: bobToken,
        body: new URLSearchParams({ path: "formed" }),
      });
      expect(form.status).toBe(201);
      expect(form.body.name).toBe("formed");
      const taken = await api("POST", "/projects", { token: bobToken, body: { name: "My Tool" } });
      expect(taken.status).toBe(400);
      expect(taken.body.message.path).toBeDefined();
      const missing = await api("POST", "/projects", { token: bobToken, body: {} });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe("name is missing");
      const other = await api("POST", "/projects", {
        token: bobToken,
        body: { name: "x-y", namespace_id: alice.id },
      });
      expect(other.status).toBe(404);
      expect((await api("POST", "/projects", { body: { name: "anon" } })).status).toBe(401);
    });

    it("updates settings for maintainers only; visibility needs an owner", async () => {
      const dev = await core.createProject({ db: t.db, owner: alice, name: "shared", visibility: "private" });
      await core.addProjectMember({ db: t.db, actor: alice, project: dev, username: "bob", accessLevel: 30 });
      const asDev = await api("PUT", `/projects/${dev.id}`, { token: bobToken, body: { description: "x" } });
      expect(asDev.status).toBe(403);
      await core.updateProjectMember({
        db: t.db,
        actor: alice,
        project: dev,
        userId: bob.id,
        accessLevel: 40,
      });
      const ok = await api("PUT", `/projects/${dev.id}`, {
        token: bobToken,
        body: { description: "new", name: "Shared!" },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ description: "new", name: "Shared!" });
      const vis = await api("PUT", `/projects/${dev.id}`, {
        token: bobToken,
        body: { visibility: "public" },
      });
      expect(vis.status).toBe(403);
      const branch = await api("PUT", `/projects/${dev.id}`, {
        token: aliceToken,
        body: { default_branch: "nope" },
      });
      expect(branch.status).toBe(400);
      expect(branch.body.message.default_branch).toBeDefined();
    });
  });
});

/** `<url>; rel="next", …` → rel → the link's query parameters. */
function parseLinks(header: string | null): Record<string, URLSearchParams> {
  const out: Record<string, URLSearchParams> = {};
  for (const m of (header ?? "").matchAll(/<([^>]+)>; rel="(\w+)"/g))
    if (m[1] && m[2]) out[m[2]] = new URL(m[1]).searchParams;
  return out;
}
