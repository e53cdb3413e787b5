import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { User } from "@minilab/db";
import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addProjectMember,
  createProject,
  createUser,
  findProject,
  findProjectRedirect,
  renameProject,
  resetCoreConfig,
} from "../src/index.ts";

describe("renameProject", () => {
  let t: TestDatabase;
  let dataDir: string;
  let owner: User;
  let dev: User;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "minilab-rename-"));
    process.env["MINILAB_DATA_DIR"] = dataDir;
    resetCoreConfig();
    t = await createTestDatabase();
    const mk = (username: string) =>
      createUser({ db: t.db, username, email: `${username}@example.com`, password: "password1" });
    owner = await mk("olivia");
    dev = await mk("dave");
  });
  afterAll(async () => {
    await t?.drop();
    await rm(dataDir, { recursive: true, force: true });
    delete process.env["MINILAB_DATA_DIR"];
    resetCoreConfig();
  });

  const repo = (p: string) => path.join(dataDir, "repos", "olivia", `${p}.git`);

  it("moves the repository and leaves a redirect at the old path", async () => {
    const db = t.db;
    const project = await createProject({ db, owner, name: "Alpha" });
    const renamed = await renameProject({ db, actor: owner, project, path: "beta" });
    expect(renamed.path).toBe("beta");
    expect(existsSync(repo("beta"))).toBe(true);
    expect(existsSync(repo("alpha"))).toBe(false);
    expect((await findProject({ db, ref: "olivia/alpha" }))?.id).toBeUndefined();
    expect((await findProjectRedirect({ db, namespace: "Olivia", path: "ALPHA.git" }))?.id).toBe(project.id);

    // Renaming back drops the now-shadowed redirect and records the other one.
    await renameProject({ db, actor: owner, project: renamed, path: "alpha" });
    expect(await findProjectRedirect({ db, namespace: "olivia", path: "alpha" })).toBeNull();
    expect((await findProjectRedirect({ db, namespace: "olivia", path: "beta" }))?.id).toBe(project.id);
  });

  it("refuses taken or invalid paths and non-maintainers, leaving everything in place", async () => {
    const db = t.db;
    const a = await createProject({ db, owner, name: "one" });
    await createProject({ db, owner, name: "two" });
    await addProjectMember({ db, actor: owner, project: a, username: "dave", accessLevel: 30 });
    await expect(renameProject({ db, actor: owner, project: a, path: "TWO" })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(renameProject({ db, actor: owner, project: a, path: "../x" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(renameProject({ db, actor: dev, project: a, path: "three" })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(existsSync(repo("one"))).toBe(true);
    expect((await findProject({ db, ref: "olivia/one" }))?.id).toBe(a.id);
  });

  it("allows a change of case without a redirect", async () => {
    const db = t.db;
    const p = await createProject({ db, owner, name: "casey" });
    const renamed = await renameProject({ db, actor: owner, project: p, path: "Casey" });
    expect(renamed.path).toBe("Casey");
    expect(await db.projectRedirect.count({ where: { projectId: p.id } })).toBe(0);
  });
});
