/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- API response bodies are arbitrary JSON, asserted field by field. */
/**
 * REST API v4 repository reads (branches, tags, commits, tree, files, raw, compare) against a real
 * repository pushed over smart HTTP, with the real core and Postgres.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
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
const { cred, gitOk, mkUser, startGitApp } = await import("./helpers/git-app.ts");
const { api, enc } = await import("./helpers/api-client.ts");

describe("API v4: repository", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Awaited<ReturnType<typeof startGitApp>>;
  let owner: User;
  let project: Project;
  let token: string;
  let guestToken: string;
  let outsiderToken: string;
  const shas: string[] = [];
  let base: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    state.db = t.db;
    app = await startGitApp();
    owner = await mkUser(t.db, "rita");
    const guest = await mkUser(t.db, "gus");
    const outsider = await mkUser(t.db, "otto");
    const tok = (userId: number) =>
      core.createPersonalAccessToken({ db: t.db, userId, name: "t", scopes: ["api"] }).then((r) => r.token);
    token = await tok(owner.id);
    guestToken = await tok(guest.id);
    outsiderToken = await tok(outsider.id);
    project = await core.createProject({ db: t.db, owner, name: "code" });
    await core.addProjectMember({ db: t.db, actor: owner, project, username: "gus", accessLevel: 10 });
    const work = await mkdtemp(join(app.tmp, "work-"));
    await gitOk(app.tmp, ["clone", "-q", app.url(cred(owner), "rita/code.git"), work]);
    await gitOk(work, ["checkout", "-q", "-b", "main"]);
    const commit = async (files: Record<string, string>, msg: string) => {
      for (const [f, c] of Object.entries(files)) {
        await mkdir(join(work, f, ".."), { recursive: true });
        await writeFile(join(work, f), c);
      }
      await gitOk(work, ["add", "-A"]);
      await gitOk(work, ["commit", "-q", "-m", msg]);
      shas.push(await gitOk(work, ["rev-parse", "HEAD"]));
    };
    await commit({ "README.md": "# code\n", "src/app.ts": "export const a = 1;\n" }, "first");
    await commit({ "src/lib/util.ts": "export {};\n" }, "second");
    await commit({ "src/app.ts": "export const a = 2;\n" }, "third");
    await gitOk(work, ["push", "-q", "origin", "main"]);
    await gitOk(work, ["tag", "-a", "v1.0", "-m", "release one"]);
    await gitOk(work, ["push", "-q", "origin", "v1.0"]);
    base = shas[0] ?? "";
    await gitOk(work, ["checkout", "-q", "-b", "feature/x", base]);
    await commit({ "feature.txt": "f\n" }, "feature work");
    await gitOk(work, ["push", "-q", "origin", "feature/x"]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const P = () => `/projects/${project.id}/repository`;

  it("lists branches with GitLab's flags, and reads one by its encoded name", async () => {
    const r = await api("GET", `${P()}/branches`, { token });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-total")).toBe("2");
    const main = r.body.find((b: { name: string }) => b.name === "main");
    expect(main).toMatchObject({ default: true, protected: true, can_push: true, commit: { id: shas[2] } });
    const one = await api("GET", `${P()}/branches/${enc("feature/x")}`, { token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ name: "feature/x", default: false, protected: false });
    expect(one.body.commit).toMatchObject({ id: shas[3], title: "feature work", author_name: "Ada" });
    expect((await api("GET", `${P()}/branches/nope`, { token })).body).toEqual({
      message: "404 Branch Not Found",
    });
    const search = await api("GET", `${P()}/branches?search=feat`, { token });
    expect(search.body.map((b: { name: string }) => b.name)).toEqual(["feature/x"]);
  });

  it("lists and reads tags", async () => {
    const r = await api("GET", `${P()}/tags`, { token });
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ name: "v1.0", message: "release one", commit: { id: shas[2] } });
    const one = await api("GET", `${P()}/tags/v1.0`, { token });
    expect(one.body.commit.message).toBe("third");
    expect((await api("GET", `${P()}/tags/v9`, { token })).status).toBe(404);
  });

  it("pages through commits without a total, filtered by ref and path", async () => {
    const p1 = await api("GET", `${P()}/commits?per_page=2`, { token });
    expect(p1.body.map((c: { id: string }) => c.id)).toEqual([shas[2], shas[1]]);
    expect(p1.headers.get("x-next-page")).toBe("2");
    expect(p1.headers.get("x-total")).toBeNull();
    const p2 = await api("GET", `${P()}/commits?per_page=2&page=2`, { token });
    expect(p2.body.map((c: { id: string }) => c.id)).toEqual([shas[0]]);
    expect(p2.headers.get("x-next-page")).toBe("");
    const byPath = await api("GET", `${P()}/commits?path=src/app.ts`, { token });
    expect(byPath.body.map((c: { title: string }) => c.title)).toEqual(["third", "first"]);
    const feature = await api("GET", `${P()}/commits?ref_name=${enc("feature/x")}`, { token });
    expect(feature.body[0].title).toBe("feature work");
    expect((await api("GET", `${P()}/commits?ref_name=missing`, { token })).status).toBe(404);
  });

  it("shows one commit by sha or ref, with stats", async () => {
    const r = await api("GET", `${P()}/commits/${shas[2]}`, { token });
    expect(r.body).toMatchObject({
      id: shas[2],
      parent_ids: [shas[1]],
      stats: { additions: 1, deletions: 1, total: 2 },
    });
    expect((await api("GET", `${P()}/commits/main`, { token })).body.id).toBe(shas[2]);
    expect((await api("GET", `${P()}/commits/${"f".repeat(40)}`, { token })).body).toEqual({
      message: "404 Commit Not Found",
    });
  });

  it("lists the tree, recursively on request", async () => {
    const top = await api("GET", `${P()}/tree`, { token });
    expect(top.body.map((e: { path: string; type: string }) => `${e.type}:${e.path}`)).toEqual([
      "tree:src",
      "blob:README.md",
    ]);
    const sub = await api("GET", `${P()}/tree?path=src&ref=${shas[0]}`, { token });
    expect(sub.body.map((e: { path: string }) => e.path)).toEqual(["src/app.ts"]);
    const all = await api("GET", `${P()}/tree?recursive=true`, { token });
    expect(all.body.map((e: { path: string }) => e.path)).toEqual([
      "src",
      "README.md",
      "src/lib",
      "src/app.ts",
      "src/lib/util.ts",
    ]);
    expect((await api("GET", `${P()}/tree?path=nope`, { token })).body).toEqual({
      message: "404 Tree Not Found",
    });
  });

  it("reads files as base64 JSON and raw bytes", async () => {
    const f = await api("GET", `${P()}/files/${enc("src/app.ts")}?ref=main`, { token });
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({
      file_name: "app.ts",
      file_path: "src/app.ts",
      encoding: "base64",
      ref: "main",
      commit_id: shas[2],
      last_commit_id: shas[2],
    });
    expect(Buffer.from(f.body.content, "base64").toString()).toBe("export const a = 2;\n");
    const old = await api("GET", `${P()}/files/${enc("src/app.ts")}/raw?ref=${shas[0]}`, { token });
    expect(old.text).toBe("export const a = 1;\n");
    expect(old.headers.get("content-type")).toContain("text/plain");
    expect(old.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await api("GET", `${P()}/files/README.md`, { token })).body).toEqual({ error: "ref is missing" });
    expect((await api("GET", `${P()}/files/nope.txt?ref=main`, { token })).body).toEqual({
      message: "404 File Not Found",
    });
  });

  it("compares two refs", async () => {
    const r = await api("GET", `${P()}/compare?from=${base}&to=main`, { token });
    expect(r.status).toBe(200);
    expect(r.body.commits.map((c: { title: string }) => c.title)).toEqual(["second", "third"]);
    expect(r.body.commit.id).toBe(shas[2]);
    expect(r.body.diffs.map((d: { new_path: string }) => d.new_path).sort()).toEqual([
      "src/app.ts",
      "src/lib/util.ts",
    ]);
    const appDiff = r.body.diffs.find((d: { new_path: string }) => d.new_path === "src/app.ts");
    expect(appDiff.diff).toContain("-export const a = 1;\n+export const a = 2;");
    expect((await api("GET", `${P()}/compare?from=main`, { token })).body).toEqual({
      error: "to is missing",
    });
  });

  it("refuses guests of a private project (403) and hides it from outsiders (404)", async () => {
    const asGuest = await api("GET", `${P()}/tree`, { token: guestToken });
    expect(asGuest.status).toBe(403);
    expect(asGuest.body).toEqual({ message: "403 Forbidden" });
    expect((await api("GET", `${P()}/branches`, { token: outsiderToken })).status).toBe(404);
    expect((await api("GET", `${P()}/files/README.md/raw`)).status).toBe(404);
  });
});
