/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment -- API response bodies are arbitrary JSON, asserted field by field. */
/**
 * REST API v4: jobs lists, project variables, members, runners, users and personal access tokens,
 * with the real route handlers, core and Postgres — roles, GitLab's status codes and bodies.
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
const { api, apiUser, tempDataDir } = await import("./helpers/api-client.ts");

describe("API v4: jobs, variables, members, runners, users, tokens", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let cleanup: () => Promise<void>;
  let owner: User;
  let dev: User;
  let admin: User;
  let project: Project;
  const tokens: Record<string, string> = {};

  const mkUser = (username: string, isAdmin = false) => apiUser(t.db, username, isAdmin);

  beforeAll(async () => {
    t = await createTestDatabase();
    state.db = t.db;
    cleanup = await tempDataDir();
    owner = await mkUser("olga");
    dev = await mkUser("dave");
    admin = await mkUser("root", true);
    await mkUser("eve");
    for (const u of ["olga", "dave", "root", "eve"]) {
      const user = await t.db.user.findUniqueOrThrow({ where: { username: u } });
      tokens[u] = (
        await core.createPersonalAccessToken({ db: t.db, userId: user.id, name: "t", scopes: ["api"] })
      ).token;
    }
    project = await core.createProject({ db: t.db, owner, name: "app" });
    await core.addProjectMember({ db: t.db, actor: owner, project, username: "dave", accessLevel: 30 });
  });
  afterAll(async () => {
    await t?.drop();
    await cleanup?.();
  });

  describe("jobs", () => {
    let pipelineId: number;
    beforeAll(async () => {
      const p = await t.db.pipeline.create({
        data: {
          iid: 1,
          projectId: project.id,
          ref: "main",
          sha: "b".repeat(40),
          beforeSha: "0".repeat(40),
          source: "push",
        },
      });
      pipelineId = p.id;
      const job = (
        name: string,
        stageIdx: number,
        status: "success" | "failed" | "manual",
        retried = false,
      ) =>
        t.db.job.create({
          data: {
            pipelineId: p.id,
            projectId: project.id,
            name,
            stage: `s${stageIdx}`,
            stageIdx,
            status,
            spec: {},
            retried,
          },
        });
      await job("build", 0, "failed", true);
      await job("build", 0, "success");
      await job("test", 1, "failed");
      await job("deploy", 2, "manual");
    });

    it("lists a project's jobs newest first, filtered by scope[]", async () => {
      const all = await api("GET", `/projects/${project.id}/jobs`, { token: tokens["dave"] });
      expect(all.body.map((j: { name: string }) => j.name)).toEqual(["deploy", "test", "build", "build"]);
      expect(all.headers.get("x-total")).toBe("4");
      const failed = await api("GET", `/projects/${project.id}/jobs?scope[]=failed&scope[]=manual`, {
        token: tokens["dave"],
      });
      expect(failed.body.map((j: { name: string; status: string }) => `${j.name}:${j.status}`)).toEqual([
        "deploy:manual",
        "test:failed",
        "build:failed",
      ]);
      expect(failed.body[0].pipeline).toMatchObject({ id: pipelineId, ref: "main" });
      const bad = await api("GET", `/projects/${project.id}/jobs?scope=exploded`, { token: tokens["dave"] });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: "scope does not have a valid value" });
      expect((await api("GET", `/projects/${project.id}/jobs`, { token: tokens["eve"] })).status).toBe(404);
    });

    it("lists a pipeline's jobs in stage order without retried attempts unless asked", async () => {
      const r = await api("GET", `/projects/${project.id}/pipelines/${pipelineId}/jobs?per_page=2`, {
        token: tokens["olga"],
      });
      expect(r.body.map((j: { name: string }) => j.name)).toEqual(["build", "test"]);
      expect(r.headers.get("x-total")).toBe("3");
      expect(r.headers.get("x-next-page")).toBe("2");
      const withRetried = await api(
        "GET",
        `/projects/${project.id}/pipelines/${pipelineId}/jobs?include_retried=true`,
        {
          token: tokens["olga"],
        },
      );
      expect(withRetried.body).toHaveLength(4);
      expect(
        (await api("GET", `/projects/${project.id}/pipelines/999999/jobs`, { token: tokens["olga"] })).body,
      ).toEqual({
        message: "404 Pipeline Not Found",
      });
      expect(
        (await api("GET", `/projects/${project.id}/jobs/999999`, { token: tokens["olga"] })).body,
      ).toEqual({
        message: "404 Job Not Found",
      });
    });
  });

  describe("project variables", () => {
    const V = () => `/projects/${project.id}/variables`;

    it("lets maintainers create, read, update and delete variables", async () => {
      const created = await api("POST", V(), {
        token: tokens["olga"],
        body: { key: "DEPLOY_TOKEN", value: "s3cret-value", masked: true, protected: true },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        key: "DEPLOY_TOKEN",
        masked: true,
        protected: true,
        variable_type: "env_var",
      });
      const form = await api("POST", V(), {
        token: tokens["olga"],
        body: new URLSearchParams({ key: "PLAIN", value: "v" }),
      });
      expect(form.status).toBe(201);
      expect(
        (await api("GET", V(), { token: tokens["olga"] })).body.map((v: { key: string }) => v.key),
      ).toEqual(["DEPLOY_TOKEN", "PLAIN"]);
      const upd = await api("PUT", `${V()}/PLAIN`, {
        token: tokens["olga"],
        body: { value: "w", protected: "true" },
      });
      expect(upd.body).toMatchObject({ key: "PLAIN", value: "w", protected: true, masked: false });
      expect((await api("GET", `${V()}/PLAIN`, { token: tokens["olga"] })).body.value).toBe("w");
      expect((await api("DELETE", `${V()}/PLAIN`, { token: tokens["olga"] })).status).toBe(204);
      expect((await api("GET", `${V()}/PLAIN`, { token: tokens["olga"] })).body).toEqual({
        message: "404 Variable Not Found",
      });
    });

    it("answers GitLab's 400s for taken keys, short masked values and unsupported types", async () => {
      const dup = await api("POST", V(), {
        token: tokens["olga"],
        body: { key: "DEPLOY_TOKEN", value: "x" },
      });
      expect(dup.status).toBe(400);
      expect(dup.body.message.key).toBeDefined();
      const short = await api("POST", V(), {
        token: tokens["olga"],
        body: { key: "SHORT", value: "abc", masked: true },
      });
      expect(short.status).toBe(400);
      expect(short.body.message.value[0]).toMatch(/at least 8/);
      const file = await api("POST", V(), {
        token: tokens["olga"],
        body: { key: "F", value: "x", variable_type: "file" },
      });
      expect(file.body).toEqual({ error: "variable_type does not have a valid value" });
      expect((await api("POST", V(), { token: tokens["olga"], body: { value: "x" } })).body).toEqual({
        error: "key is missing",
      });
    });

    it("keeps values from developers (403) and outsiders (404)", async () => {
      expect((await api("GET", V(), { token: tokens["dave"] })).body).toEqual({ message: "403 Forbidden" });
      expect((await api("POST", V(), { token: tokens["dave"], body: { key: "X", value: "y" } })).status).toBe(
        403,
      );
      expect((await api("GET", V(), { token: tokens["eve"] })).status).toBe(404);
      expect((await api("GET", V(), { token: tokens["root"] })).status).toBe(200);
    });
  });

  describe("members", () => {
    const M = () => `/projects/${project.id}/members`;

    it("lists members for anyone who sees the project", async () => {
      const r = await api("GET", M(), { token: tokens["dave"] });
      expect(
        r.body.map((m: { username: string; access_level: number }) => `${m.username}:${m.access_level}`),
      ).toEqual(["olga:50", "dave:30"]);
    });

    it("adds, changes and removes members as a maintainer", async () => {
      const eve = await t.db.user.findUniqueOrThrow({ where: { username: "eve" } });
      const add = await api("POST", M(), {
        token: tokens["olga"],
        body: { user_id: eve.id, access_level: 20 },
      });
      expect(add.status).toBe(201);
      expect(add.body).toMatchObject({ id: eve.id, username: "eve", access_level: 20 });
      expect(
        (await api("POST", M(), { token: tokens["olga"], body: { user_id: eve.id, access_level: 20 } }))
          .status,
      ).toBe(409);
      const bad = await api("POST", M(), {
        token: tokens["olga"],
        body: { user_id: eve.id, access_level: 25 },
      });
      expect(bad.body).toEqual({ error: "access_level does not have a valid value" });
      expect(
        (await api("POST", M(), { token: tokens["olga"], body: { user_id: 999999, access_level: 20 } }))
          .status,
      ).toBe(404);
      const put = await api("PUT", `${M()}/${eve.id}`, { token: tokens["olga"], body: { access_level: 30 } });
      expect(put.body.access_level).toBe(30);
      expect((await api("GET", `/projects/${project.id}/variables`, { token: tokens["eve"] })).status).toBe(
        403,
      );
      expect((await api("DELETE", `${M()}/${eve.id}`, { token: tokens["dave"] })).status).toBe(403);
      expect((await api("DELETE", `${M()}/${eve.id}`, { token: tokens["olga"] })).status).toBe(204);
      expect((await api("GET", `${M()}/${eve.id}`, { token: tokens["olga"] })).body).toEqual({
        message: "404 Member Not Found",
      });
      expect((await api("DELETE", `${M()}/${owner.id}`, { token: tokens["olga"] })).status).toBe(403);
    });
  });

  describe("runners", () => {
    beforeAll(async () => {
      await core.registerRunner({ db: t.db, description: "docker-1", tags: ["docker"] });
      const { runner } = await core.registerRunner({ db: t.db, description: "paused-1" });
      await t.db.runner.update({ where: { id: runner.id }, data: { active: false } });
    });

    it("shows instance runners to admins and a project's active runners to its maintainers", async () => {
      const all = await api("GET", "/runners/all", { token: tokens["root"] });
      expect(all.body.map((r: { description: string }) => r.description).sort()).toEqual([
        "docker-1",
        "paused-1",
      ]);
      expect(all.body[0]).not.toHaveProperty("token");
      expect((await api("GET", "/runners/all?paused=true", { token: tokens["root"] })).body).toHaveLength(1);
      expect((await api("GET", "/runners/all", { token: tokens["dave"] })).status).toBe(403);
      expect((await api("GET", "/runners", { token: tokens["dave"] })).body).toEqual([]);
      const id = all.body.find((r: { description: string }) => r.description === "docker-1").id;
      const one = await api("GET", `/runners/${id}`, { token: tokens["root"] });
      expect(one.body).toMatchObject({
        id,
        tag_list: ["docker"],
        status: "never_contacted",
        is_shared: true,
      });
      expect((await api("GET", `/runners/${id}`, { token: tokens["dave"] })).status).toBe(403);
      const proj = await api("GET", `/projects/${project.id}/runners`, { token: tokens["olga"] });
      expect(proj.body.map((r: { description: string }) => r.description)).toEqual(["docker-1"]);
      expect((await api("GET", `/projects/${project.id}/runners`, { token: tokens["dave"] })).status).toBe(
        403,
      );
    });

    it("PUT /runners/:id sets the maximum job timeout (admins only, at least 600 s)", async () => {
      const { runner } = await core.registerRunner({ db: t.db, description: "capped", tags: ["cap"] });
      const put = (who: string | undefined, body: unknown) =>
        api("PUT", `/runners/${runner.id}`, { ...(who ? { token: who } : {}), body });
      expect((await put(tokens["dave"], { maximum_timeout: 900 })).status).toBe(403);
      expect((await put(undefined, { maximum_timeout: 900 })).status).toBe(401);
      expect(await put(tokens["root"], { maximum_timeout: 60 })).toMatchObject({
        status: 400,
        body: { message: { maximum_timeout: ["needs to be at least 10 minutes"] } },
      });
      expect((await put(tokens["root"], { maximum_timeout: "ten" })).status).toBe(400);
      expect((await api("PUT", "/runners/999999", { token: tokens["root"], body: {} })).status).toBe(404);
      const ok = await put(tokens["root"], { maximum_timeout: 900, description: "capped at 15 min" });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: runner.id, maximum_timeout: 900, description: "capped at 15 min" });
      // Form-encoded, as `curl --form` sends it; and the GET shows the stored value.
      await put(tokens["root"], new URLSearchParams({ maximum_timeout: "1200", tag_list: "cap,fast" }));
      expect((await api("GET", `/runners/${runner.id}`, { token: tokens["root"] })).body).toMatchObject({
        maximum_timeout: 1200,
        tag_list: ["cap", "fast"],
      });

      // (claim-job caps each job's timeout with it: packages/core/test/orchestration.test.ts)
      // Cleared with an empty value: no bound any more.
      const cleared = await put(tokens["root"], { maximum_timeout: "" });
      expect(cleared.body).toMatchObject({ maximum_timeout: null });
    });
  });

  describe("Public pipelines (public_builds)", () => {
    it("off: non-members of a public project get no pipelines or jobs; members and the setting's default do", async () => {
      const pub = await core.createProject({ db: t.db, owner, name: "open", visibility: "public" });
      const pl = await t.db.pipeline.create({
        data: {
          iid: 1,
          projectId: pub.id,
          ref: "main",
          sha: "c".repeat(40),
          beforeSha: "0".repeat(40),
          source: "push",
        },
      });
      await t.db.job.create({
        data: {
          pipelineId: pl.id,
          projectId: pub.id,
          name: "build",
          stage: "s",
          stageIdx: 0,
          status: "success",
          spec: {},
        },
      });
      const get = (path: string, who?: string) => api("GET", path, who ? { token: who } : {});
      // On by default: anyone sees them.
      expect((await get(`/projects/${pub.id}`)).body).toMatchObject({
        public_builds: true,
        public_jobs: true,
      });
      expect((await get(`/projects/${pub.id}/pipelines`, tokens["eve"])).body).toHaveLength(1);
      expect((await get(`/projects/${pub.id}/jobs`, tokens["eve"])).status).toBe(200);

      expect(
        (await api("PUT", `/projects/${pub.id}`, { token: tokens["eve"], body: { public_builds: false } }))
          .status,
      ).toBe(403);
      const off = await api("PUT", `/projects/${pub.id}`, {
        token: tokens["olga"],
        body: { public_builds: false },
      });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ public_builds: false });

      // The project stays public; its pipelines and jobs do not.
      expect((await get(`/projects/${pub.id}`, tokens["eve"])).status).toBe(200);
      expect((await get(`/projects/${pub.id}/pipelines`, tokens["eve"])).status).toBe(403);
      expect((await get(`/projects/${pub.id}/pipelines/${pl.id}`, tokens["eve"])).status).toBe(403);
      expect((await get(`/projects/${pub.id}/jobs`, tokens["eve"])).status).toBe(403);
      expect((await get(`/projects/${pub.id}/pipelines`)).status).not.toBe(200);
      // Members: a guest sees pipelines but not jobs (reporter+), the owner sees both.
      await core.addProjectMember({ db: t.db, actor: owner, project: pub, username: "eve", accessLevel: 10 });
      expect((await get(`/projects/${pub.id}/pipelines`, tokens["eve"])).body).toHaveLength(1);
      expect((await get(`/projects/${pub.id}/jobs`, tokens["eve"])).status).toBe(403);
      expect((await get(`/projects/${pub.id}/jobs`, tokens["olga"])).body).toHaveLength(1);
    });
  });

  describe("users and tokens", () => {
    it("finds users by username; private fields only for themselves and admins", async () => {
      const r = await api("GET", "/users?username=DAVE", { token: tokens["olga"] });
      expect(r.body).toHaveLength(1);
      expect(r.body[0]).toMatchObject({ id: dev.id, username: "dave", state: "active" });
      expect(r.body[0]).not.toHaveProperty("email");
      expect((await api("GET", "/users?username=dave")).body).toHaveLength(1);
      expect((await api("GET", "/users")).status).toBe(403);
      expect((await api("GET", `/users/${dev.id}`, { token: tokens["dave"] })).body.email).toBe(
        "dave@example.test",
      );
      expect((await api("GET", `/users/${dev.id}`, { token: tokens["root"] })).body.is_admin).toBe(false);
      expect((await api("GET", "/users/999999", { token: tokens["dave"] })).body).toEqual({
        message: "404 User Not Found",
      });
    });

    it("lists, shows and revokes a user's own tokens; others' are 404", async () => {
      const extra = await core.createPersonalAccessToken({
        db: t.db,
        userId: dev.id,
        name: "ci",
        scopes: ["read_api"],
      });
      const list = await api("GET", "/personal_access_tokens", { token: tokens["dave"] });
      expect(list.body.map((x: { name: string }) => x.name)).toEqual(["ci", "t"]);
      expect(list.body[0]).toMatchObject({
        scopes: ["read_api"],
        active: true,
        revoked: false,
        user_id: dev.id,
      });
      expect(JSON.stringify(list.body)).not.toContain(extra.token);
      expect(
        (await api("GET", `/personal_access_tokens/${extra.record.id}`, { token: tokens["olga"] })).status,
      ).toBe(404);
      expect(
        (await api("DELETE", `/personal_access_tokens/${extra.record.id}`, { token: tokens["olga"] })).status,
      ).toBe(404);
      expect(
        (await api("DELETE", `/personal_access_tokens/${extra.record.id}`, { token: tokens["dave"] })).status,
      ).toBe(204);
      const after = await api("GET", `/personal_access_tokens/${extra.record.id}`, { token: tokens["dave"] });
      expect(after.body).toMatchObject({ revoked: true, active: false });
      expect(
        (await api("GET", "/personal_access_tokens?state=active", { token: tokens["dave"] })).body,
      ).toHaveLength(1);
      expect((await api("GET", "/projects", { token: extra.token })).status).toBe(401);
      const forAdmin = await api("GET", `/personal_access_tokens?user_id=${dev.id}`, {
        token: tokens["root"],
      });
      expect(forAdmin.body).toHaveLength(2);
      expect(
        (await api("GET", `/personal_access_tokens?user_id=${admin.id}`, { token: tokens["dave"] })).status,
      ).toBe(403);
    });
  });
});
