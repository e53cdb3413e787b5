import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Project, User } from "@minilab/db";
import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../auth/index.ts";
import { resetCoreConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import {
  accessLevelFor,
  assertCanManage,
  assertCanRead,
  canPushCode,
  canReadProject,
  createProject,
  findProject,
  listProjectsForUser,
} from "./index.ts";

const errorCode = (fn: () => void): string => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return e instanceof AppError ? e.code : "not an AppError";
  }
};

describe("projects", () => {
  let t: TestDatabase;
  let dataDir: string;
  let owner: User;
  let other: User;
  let admin: User;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "minilab-projects-"));
    process.env["MINILAB_DATA_DIR"] = dataDir;
    resetCoreConfig();
    t = await createTestDatabase();
    const mk = (username: string, isAdmin = false) =>
      createUser({ db: t.db, username, email: `${username}@example.com`, password: "password1", isAdmin });
    [owner, other, admin] = await Promise.all([mk("olivia"), mk("oscar"), mk("root", true)]);
  });
  afterAll(async () => {
    await t?.drop();
    await rm(dataDir, { recursive: true, force: true });
    delete process.env["MINILAB_DATA_DIR"];
    resetCoreConfig();
  });

  it("creates the row and a bare repository on disk, path derived from the name", async () => {
    const project = await createProject({ db: t.db, owner, name: "My App", description: "demo" });
    expect(project).toMatchObject({
      namespace: "olivia",
      path: "my-app",
      name: "My App",
      visibility: "private",
      defaultBranch: "main",
    });
    const dir = path.join(dataDir, "repos", "olivia", "my-app.git");
    expect(await readFile(path.join(dir, "HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
    expect(await readFile(path.join(dir, "config"), "utf8")).toMatch(/receivepack = true/);
  });

  it("refuses a taken path (any case) and invalid paths", async () => {
    await createProject({ db: t.db, owner, name: "dup" });
    await expect(createProject({ db: t.db, owner, name: "Dup" })).rejects.toMatchObject({ code: "conflict" });
    await expect(createProject({ db: t.db, owner, name: "x", path: "../escape" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(createProject({ db: t.db, owner, name: "x", path: "x.git" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    // The same path in another namespace is fine.
    await expect(createProject({ db: t.db, owner: other, name: "dup" })).resolves.toMatchObject({
      namespace: "oscar",
    });
  });

  it("leaves no row behind when the repository cannot be created", async () => {
    // A regular file where the namespace directory should be makes `git init` fail.
    await mkdir(path.join(dataDir, "repos"), { recursive: true });
    await writeFile(path.join(dataDir, "repos", "root"), "not a directory");
    await expect(createProject({ db: t.db, owner: admin, name: "broken" })).rejects.toThrow();
    expect(await t.db.project.count({ where: { namespace: "root" } })).toBe(0);
    await rm(path.join(dataDir, "repos", "root"));
    expect(existsSync(path.join(dataDir, "repos", "root", "broken.git"))).toBe(false);
  });

  it("finds by id or by (URL-encoded) namespace/path", async () => {
    const project = await createProject({ db: t.db, owner, name: "findme" });
    expect((await findProject({ db: t.db, ref: project.id }))?.id).toBe(project.id);
    expect((await findProject({ db: t.db, ref: String(project.id) }))?.id).toBe(project.id);
    expect((await findProject({ db: t.db, ref: "olivia/findme" }))?.id).toBe(project.id);
    expect((await findProject({ db: t.db, ref: "olivia%2Ffindme" }))?.id).toBe(project.id);
    expect(await findProject({ db: t.db, ref: "olivia/missing" })).toBeNull();
    expect(await findProject({ db: t.db, ref: "99999999999999" })).toBeNull();
    expect(await findProject({ db: t.db, ref: "%E0%A4%A" })).toBeNull();
  });

  describe("permissions", () => {
    let priv: Project;
    let internal: Project;
    let pub: Project;
    beforeAll(async () => {
      const mk = (visibility: Project["visibility"]) =>
        createProject({ db: t.db, owner, name: `perm-${visibility}`, visibility });
      [priv, internal, pub] = await Promise.all([mk("private"), mk("internal"), mk("public")]);
    });

    // Before memberships, "write" meant owner-or-admin; it is now push (developer+) and manage
    // (maintainer+), which the owner and admins have: the expectations are unchanged.
    it.each([
      // who, project, can read, can push/manage, assertCanRead, assertCanManage
      ["anonymous", "private", false, false, "unauthorized", "unauthorized"],
      ["anonymous", "internal", false, false, "unauthorized", "unauthorized"],
      ["anonymous", "public", true, false, "ok", "unauthorized"],
      ["outsider", "private", false, false, "not_found", "not_found"],
      ["outsider", "internal", true, false, "ok", "forbidden"],
      ["outsider", "public", true, false, "ok", "forbidden"],
      ["owner", "private", true, true, "ok", "ok"],
      ["owner", "public", true, true, "ok", "ok"],
      ["admin", "private", true, true, "ok", "ok"],
      ["admin", "internal", true, true, "ok", "ok"],
    ] as const)("%s on a %s project", async (who, visibility, read, write, readErr, writeErr) => {
      const user = who === "anonymous" ? null : who === "outsider" ? other : who === "owner" ? owner : admin;
      const project = visibility === "private" ? priv : visibility === "internal" ? internal : pub;
      const level = await accessLevelFor({ db: t.db, user, project });
      expect(canReadProject(user, project, level)).toBe(read);
      expect(canPushCode(level)).toBe(write);
      expect(errorCode(() => assertCanRead(user, project, level))).toBe(readErr);
      expect(errorCode(() => assertCanManage(user, project, level))).toBe(writeErr);
    });

    it("lists exactly the projects each user may read", async () => {
      const ids = async (user: User | null) =>
        new Set((await listProjectsForUser({ db: t.db, user })).map((p) => p.id));
      const all = await t.db.project.findMany();
      for (const user of [null, owner, other, admin]) {
        const readable = await Promise.all(
          all.map(async (p) => canReadProject(user, p, await accessLevelFor({ db: t.db, user, project: p }))),
        );
        const expected = new Set(all.filter((_, i) => readable[i]).map((p) => p.id));
        expect(await ids(user)).toEqual(expected);
      }
      expect((await ids(null)).has(pub.id)).toBe(true);
      expect((await ids(other)).has(priv.id)).toBe(false);
      expect((await ids(admin)).has(priv.id)).toBe(true);
    });
  });
});
