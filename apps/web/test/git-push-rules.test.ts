/**
 * Push behaviour on the real stack minus HTTP framework: protected branches (force push, deletion,
 * patterns, "no one"), durable push events (one per accepted update, none for refusals, 500 refs),
 * `-o ci.skip`, 20 concurrent pushes racing for one branch, and a renamed project's old clone URL.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as DbModule from "@minilab/db";
import type { Db, Project, User } from "@minilab/db";

const state = vi.hoisted((): { db: unknown } => ({ db: null }));
vi.mock("@minilab/db", async (importOriginal) => ({
  ...(await importOriginal<typeof DbModule>()),
  getDb: () => state.db,
}));

const { createTestDatabase } = await import("@minilab/db/testing");
const { addProjectMember, createProject, protectBranch, renameProject, ACCESS_LEVELS } =
  await import("@minilab/core");
const { commitOnTop, cred, fsck, git, gitOk, mkUser, startGitApp } = await import("./helpers/git-app.ts");

const ZERO = "0".repeat(40);

describe("push rules", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let app: Awaited<ReturnType<typeof startGitApp>>;
  let owner: User;
  let dev: User;
  let maint: User;
  let project: Project;
  let repo: string;

  const events = (where: Record<string, unknown> = {}) =>
    db.pushEvent.findMany({ where: { projectId: project.id, ...where }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.db;
    state.db = db;
    app = await startGitApp();
    owner = await mkUser(db, "olivia");
    dev = await mkUser(db, "dave");
    maint = await mkUser(db, "mia");
    project = await createProject({ db, owner, name: "rules", visibility: "private" });
    await addProjectMember({
      db,
      actor: owner,
      project,
      username: "dave",
      accessLevel: ACCESS_LEVELS.developer,
    });
    await addProjectMember({
      db,
      actor: owner,
      project,
      username: "mia",
      accessLevel: ACCESS_LEVELS.maintainer,
    });
    repo = "olivia/rules.git";
    const dir = await commitOnTop(app, cred(owner), repo);
    await gitOk(dir, ["push", "-q", "origin", "main"]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it("protects the default branch at creation: maintainers push, no force push, no deletion", async () => {
    expect(await db.protectedBranch.findMany({ where: { projectId: project.id } })).toMatchObject([
      { name: "main", pushAccessLevel: 40, allowForcePush: false },
    ]);
    const work = await commitOnTop(app, cred(maint), repo);
    await gitOk(work, ["push", "-q", "origin", "main"]);

    // Force push (rewrite the last commit) by a maintainer: refused, ref unchanged, no event.
    const before = (await events()).length;
    const tip = await gitOk(work, ["rev-parse", "HEAD"]);
    await gitOk(work, ["commit", "-q", "--amend", "-m", "rewritten"]);
    const force = await git(work, ["push", "--force", "origin", "main"]);
    expect(force.code).not.toBe(0);
    expect(force.stderr).toContain(
      "remote: GitLab: You are not allowed to force push code to a protected branch on this project.",
    );
    expect(force.stderr).toMatch(/pre-receive hook declined/);

    // Deletion by the owner: refused.
    const del = await git(work, ["push", "origin", ":main"]);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toContain(
      "remote: GitLab: You can only delete protected branches using the web interface.",
    );

    // Developer: refused with GitLab's message.
    const devWork = await commitOnTop(app, cred(dev), repo);
    const devPush = await git(devWork, ["push", "origin", "main"]);
    expect(devPush.stderr).toContain(
      "remote: GitLab: You are not allowed to push code to protected branches on this project.",
    );

    expect((await gitOk(work, ["ls-remote", "origin", "refs/heads/main"])).split("\t")[0]).toBe(tip);
    expect((await events()).length).toBe(before);
  });

  it("applies pattern rules, 'no one' and allowed force pushes", async () => {
    await protectBranch({
      db,
      actor: owner,
      project,
      name: "release/*",
      pushAccessLevel: ACCESS_LEVELS.developer,
      allowForcePush: true,
    });
    await protectBranch({ db, actor: owner, project, name: "frozen", pushAccessLevel: 0 });

    const work = await commitOnTop(app, cred(dev), repo, "release/1.0");
    await gitOk(work, ["push", "-q", "origin", "release/1.0"]);
    await gitOk(work, ["commit", "-q", "--amend", "-m", "rewritten release"]);
    const force = await git(work, ["push", "--force", "origin", "release/1.0"]);
    expect(force.code, force.stderr).toBe(0);
    const del = await git(work, ["push", "origin", ":release/1.0"]);
    expect(del.stderr).toContain("You can only delete protected branches using the web interface.");

    const frozen = await commitOnTop(app, cred(owner), repo, "frozen");
    const r = await git(frozen, ["push", "origin", "frozen"]);
    expect(r.stderr).toContain("You are not allowed to push code to protected branches on this project.");

    // Unprotected branches: developers create, force-push and delete freely.
    const feat = await commitOnTop(app, cred(dev), repo, "feat");
    await gitOk(feat, ["push", "-q", "origin", "feat"]);
    await gitOk(feat, ["commit", "-q", "--amend", "-m", "again"]);
    await gitOk(feat, ["push", "-q", "--force", "origin", "feat"]);
    await gitOk(feat, ["push", "-q", "origin", ":feat"]);
    const featEvents = await events({ ref: "refs/heads/feat" });
    expect(featEvents.map((e) => [e.oldSha === ZERO, e.newSha === ZERO])).toEqual([
      [true, false],
      [false, false],
      [false, true],
    ]);
    expect(featEvents.every((e) => e.userId === dev.id)).toBe(true);
  });

  it("refuses a whole push when one of its updates is refused (pre-receive is all or nothing)", async () => {
    const work = await commitOnTop(app, cred(dev), repo);
    const before = (await events()).length;
    const r = await git(work, ["push", "origin", "HEAD:refs/heads/side", "HEAD:refs/heads/main"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("protected branches");
    expect((await git(work, ["ls-remote", "--exit-code", "origin", "refs/heads/side"])).code).not.toBe(0);
    expect((await events()).length).toBe(before);
  });

  it("records one event per ref for a push of 500 refs", async () => {
    const work = await commitOnTop(app, cred(dev), repo, "many-base");
    const specs = Array.from({ length: 500 }, (_, i) => `HEAD:refs/heads/many/${i}`);
    const r = await git(work, ["push", "-q", "origin", ...specs]);
    expect(r.code, r.stderr).toBe(0);
    const evs = await events({ ref: { startsWith: "refs/heads/many/" } });
    expect(evs).toHaveLength(500);
    expect(new Set(evs.map((e) => e.ref)).size).toBe(500);
    expect((await gitOk(work, ["ls-remote", "origin", "refs/heads/many/*"])).split("\n")).toHaveLength(500);
  }, 120_000);

  it("passes push options through: -o ci.skip records the event but creates no pipeline", async () => {
    const work = await commitOnTop(app, cred(dev), repo, "ci");
    // Not valid YAML: a pipeline (failed, with yaml errors) is created whenever CI is not skipped.
    await writeFile(join(work, ".gitlab-ci.yml"), "job: [unclosed\n");
    await gitOk(work, ["add", "."]);
    await gitOk(work, ["commit", "-q", "-m", "ci"]);
    const skipped = await git(work, ["push", "-o", "ci.skip", "origin", "ci"]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(await events({ ref: "refs/heads/ci" })).toHaveLength(1);
    expect(await db.pipeline.count({ where: { projectId: project.id, ref: "ci" } })).toBe(0);

    await gitOk(work, ["commit", "-q", "--allow-empty", "-m", "again"]);
    await gitOk(work, ["push", "-q", "origin", "ci"]);
    expect(await db.pipeline.count({ where: { projectId: project.id, ref: "ci" } })).toBe(1);
  });

  it("20 concurrent pushes to one branch: exactly one wins, the others are refused, refs stay consistent", async () => {
    const base = await commitOnTop(app, cred(dev), repo, "race");
    await gitOk(base, ["push", "-q", "origin", "race"]);
    const baseSha = await gitOk(base, ["rev-parse", "HEAD"]);
    const clones = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const dir = await mkdtemp(join(app.tmp, "race-"));
        await gitOk(app.tmp, ["clone", "-q", "-b", "race", app.url(cred(dev), repo), dir]);
        await writeFile(join(dir, `racer-${i}.txt`), `${i}\n`);
        await gitOk(dir, ["add", "."]);
        await gitOk(dir, ["commit", "-q", "-m", `racer ${i}`]);
        return { dir, sha: await gitOk(dir, ["rev-parse", "HEAD"]) };
      }),
    );
    const results = await Promise.all(clones.map((c) => git(c.dir, ["push", "origin", "race"])));
    const winners = results.flatMap((r, i) => (r.code === 0 ? [clones[i]!.sha] : []));
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.code !== 0)) {
      // Lost before sending (saw the new tip): non-fast-forward; lost at the ref lock: git's refusal.
      expect(r.stderr).toMatch(/non-fast-forward|fetch first|cannot lock ref|failed to update ref|rejected/);
    }
    const tip = (await gitOk(base, ["ls-remote", "origin", "refs/heads/race"])).split("\t")[0];
    expect(tip).toBe(winners[0]);
    const raceEvents = await events({ ref: "refs/heads/race", oldSha: baseSha });
    expect(raceEvents.map((e) => e.newSha)).toEqual([winners[0]]);
    expect(await fsck(app, "olivia", "rules")).toBe("");
  }, 120_000);

  it("keeps the old clone URL working after a rename (301 → new path)", async () => {
    const other = await createProject({ db, owner, name: "old-name", visibility: "private" });
    const seed = await commitOnTop(app, cred(owner), "olivia/old-name.git");
    await gitOk(seed, ["push", "-q", "origin", "main"]);
    await renameProject({ db, actor: owner, project: other, path: "new-name" });

    const dest = await mkdtemp(join(app.tmp, "renamed-"));
    const clone = await git(app.tmp, ["clone", app.url(cred(owner), "olivia/old-name.git"), dest]);
    expect(clone.code, clone.stderr).toBe(0);
    expect(clone.stderr).toMatch(/redirecting to .*\/olivia\/new-name\.git/);
    // The redirect does not leak the new name to someone who may not read the project.
    const res = await fetch(`${app.base}/olivia/old-name.git/info/refs?service=git-upload-pack`, {
      headers: { Authorization: `Basic ${Buffer.from(cred(dev)).toString("base64")}` },
      redirect: "manual",
    });
    expect(res.status).toBe(404);
    expect(await fsck(app, "olivia", "new-name")).toBe("");
  });

  it("leaves the repository fsck-clean", async () => {
    expect(await fsck(app, "olivia", "rules")).toBe("");
  });
});
