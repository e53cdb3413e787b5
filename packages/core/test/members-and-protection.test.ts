import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Project, User } from "@minilab/db";
import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessLevelFor,
  addProjectMember,
  canPushToBranch,
  canReadProject,
  canReadRepository,
  createProject,
  createUser,
  listProjectMembers,
  listProjectsForUser,
  listProtectedBranches,
  protectBranch,
  recordPush,
  removeProjectMember,
  resetCoreConfig,
  unprotectBranch,
  updateProjectMember,
  updateProjectSettings,
} from "../src/index.ts";

describe("project members and protected branches", () => {
  let t: TestDatabase;
  let dataDir: string;
  let owner: User;
  let maint: User;
  let dev: User;
  let guest: User;
  let outsider: User;
  let project: Project;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "minilab-members-"));
    process.env["MINILAB_DATA_DIR"] = dataDir;
    resetCoreConfig();
    t = await createTestDatabase();
    const mk = (username: string) =>
      createUser({ db: t.db, username, email: `${username}@example.com`, password: "password1" });
    [owner, maint, dev, guest, outsider] = (await Promise.all(
      ["olivia", "mia", "dave", "gus", "oscar"].map(mk),
    )) as [User, User, User, User, User];
    project = await createProject({ db: t.db, owner, name: "team", visibility: "private" });
  });
  afterAll(async () => {
    await t?.drop();
    await rm(dataDir, { recursive: true, force: true });
    delete process.env["MINILAB_DATA_DIR"];
    resetCoreConfig();
  });

  it("makes the creator an owner member and protects the default branch", async () => {
    expect(await listProjectMembers({ db: t.db, project })).toMatchObject([
      { userId: owner.id, username: "olivia", accessLevel: 50 },
    ]);
    expect(await listProtectedBranches({ db: t.db, project })).toMatchObject([
      { name: "main", pushAccessLevel: 40, mergeAccessLevel: 40, allowForcePush: false },
    ]);
  });

  it("adds members by username or email; only maintainers+ manage, only owners grant owner", async () => {
    const db = t.db;
    await addProjectMember({ db, actor: owner, project, username: "mia", accessLevel: 40 });
    await addProjectMember({ db, actor: maint, project, username: "dave@example.com", accessLevel: 30 });
    await addProjectMember({ db, actor: maint, project, username: "GUS", accessLevel: 10 });
    await expect(
      addProjectMember({ db, actor: maint, project, username: "oscar", accessLevel: 50 }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      addProjectMember({ db, actor: dev, project, username: "oscar", accessLevel: 10 }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      addProjectMember({ db, actor: outsider, project, username: "oscar", accessLevel: 10 }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      addProjectMember({ db, actor: owner, project, username: "dave", accessLevel: 20 }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      addProjectMember({ db, actor: owner, project, username: "nobody", accessLevel: 20 }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      addProjectMember({ db, actor: owner, project, username: "oscar", accessLevel: 35 }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect((await listProjectMembers({ db, project })).map((m) => [m.username, m.accessLevel])).toEqual([
      ["olivia", 50],
      ["mia", 40],
      ["dave", 30],
      ["gus", 10],
    ]);
  });

  it("derives levels and GitLab's read rules from membership", async () => {
    const db = t.db;
    const level = (user: User | null) => accessLevelFor({ db, user, project });
    expect(await Promise.all([owner, maint, dev, guest, outsider].map(level))).toEqual([50, 40, 30, 10, 0]);
    // A guest sees a private project but not its code.
    expect(canReadProject(guest, project, 10)).toBe(true);
    expect(canReadRepository(guest, project, 10)).toBe(false);
    expect(canReadRepository(dev, project, 30)).toBe(true);
    expect(canReadProject(outsider, project, 0)).toBe(false);
    expect((await listProjectsForUser({ db, user: guest })).map((p) => p.id)).toContain(project.id);
    expect((await listProjectsForUser({ db, user: outsider })).map((p) => p.id)).not.toContain(project.id);
  });

  it("changes and removes members, never the namespace owner or the last owner", async () => {
    const db = t.db;
    await updateProjectMember({ db, actor: maint, project, userId: guest.id, accessLevel: 20 });
    await expect(
      updateProjectMember({ db, actor: maint, project, userId: owner.id, accessLevel: 40 }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(removeProjectMember({ db, actor: owner, project, userId: owner.id })).rejects.toMatchObject({
      code: "forbidden",
    });
    // A second owner can be demoted by an owner while the creator remains.
    await updateProjectMember({ db, actor: owner, project, userId: maint.id, accessLevel: 50 });
    await expect(removeProjectMember({ db, actor: dev, project, userId: maint.id })).rejects.toMatchObject({
      code: "forbidden",
    });
    await updateProjectMember({ db, actor: owner, project, userId: maint.id, accessLevel: 40 });
    await removeProjectMember({ db, actor: maint, project, userId: guest.id });
    expect(await accessLevelFor({ db, user: guest, project })).toBe(0);
    await expect(removeProjectMember({ db, actor: maint, project, userId: guest.id })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("refuses to remove the last owner row even when the creator row is gone", async () => {
    const db = t.db;
    const p = await createProject({ db, owner, name: "solo" });
    await addProjectMember({ db, actor: owner, project: p, username: "mia", accessLevel: 50 });
    // Simulate a legacy project whose creator has no row: mia is the only owner row.
    await db.projectMember.delete({ where: { projectId_userId: { projectId: p.id, userId: owner.id } } });
    await expect(
      removeProjectMember({ db, actor: owner, project: p, userId: maint.id }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(
      updateProjectMember({ db, actor: owner, project: p, userId: maint.id, accessLevel: 40 }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("protects and unprotects branches (maintainer+) and answers canPushToBranch like the hook", async () => {
    const db = t.db;
    await expect(protectBranch({ db, actor: dev, project, name: "release/*" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(protectBranch({ db, actor: maint, project, name: "bad..name" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(
      protectBranch({ db, actor: maint, project, name: "x", pushAccessLevel: 10 }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await protectBranch({ db, actor: maint, project, name: "release/*", pushAccessLevel: 30 });
    await expect(protectBranch({ db, actor: maint, project, name: "release/*" })).rejects.toMatchObject({
      code: "conflict",
    });

    const can = (user: User, branch: string, o: { force?: boolean; delete?: boolean } = {}) =>
      canPushToBranch({ db, user, project, branch, ...o }).then((d) => (d.allowed ? "ok" : d.message));
    expect(await can(dev, "feature")).toBe("ok");
    expect(await can(dev, "feature", { force: true, delete: false })).toBe("ok");
    expect(await can(dev, "main")).toMatch(/protected branches/);
    expect(await can(maint, "main")).toBe("ok");
    expect(await can(maint, "main", { force: true })).toMatch(/force push/);
    expect(await can(owner, "main", { delete: true })).toMatch(/delete protected branches/);
    expect(await can(dev, "release/2")).toBe("ok");
    expect(await can(outsider, "feature")).toMatch(/not allowed to push code to this project/);

    await expect(unprotectBranch({ db, actor: dev, project, name: "release/*" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await unprotectBranch({ db, actor: maint, project, name: "release/*" });
    await expect(unprotectBranch({ db, actor: maint, project, name: "release/*" })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("records one push event per accepted update in one go, even with no pipelines", async () => {
    const db = t.db;
    const updates = Array.from({ length: 3 }, (_, i) => ({
      ref: `refs/tags/v${i}`,
      oldSha: "0".repeat(40),
      newSha: "0".repeat(40),
    }));
    const r = await recordPush({ db, project, userId: dev.id, updates, pushOptions: ["ci.skip"] });
    expect(r.events.map((e) => e.ref)).toEqual(["refs/tags/v0", "refs/tags/v1", "refs/tags/v2"]);
    expect(r.pipelines).toEqual([]);
    expect(await recordPush({ db, project, userId: dev.id, updates: [] })).toEqual({
      events: [],
      pipelines: [],
    });
  });

  it("updates settings: maintainers rename the title, only owners change visibility", async () => {
    const db = t.db;
    const renamed = await updateProjectSettings({ db, actor: maint, project, name: "Team!" });
    expect(renamed.name).toBe("Team!");
    await expect(
      updateProjectSettings({ db, actor: maint, project, visibility: "public" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(
      (await updateProjectSettings({ db, actor: owner, project, visibility: "internal" })).visibility,
    ).toBe("internal");
    await expect(updateProjectSettings({ db, actor: dev, project, name: "nope" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
