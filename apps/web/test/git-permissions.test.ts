/**
 * The permission matrix with the real git CLI, real Postgres and the real core: who (anonymous,
 * signed-in outsider, guest, reporter, developer, maintainer) × visibility (public, internal,
 * private) × what (clone, push a new branch, push to the protected default branch). Outcomes are
 * what git shows the user: 401 (git asks for credentials), 404, 403 with GitLab's message, the
 * protected-branch refusal from the pre-receive hook, or success.
 */
import { mkdtemp } from "node:fs/promises";
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
const { addProjectMember, createProject, ACCESS_LEVELS } = await import("@minilab/core");
const { commitOnTop, cred, fsck, git, gitOk, mkUser, startGitApp } = await import("./helpers/git-app.ts");

type Who = "anonymous" | "outsider" | "guest" | "reporter" | "developer" | "maintainer";
type Vis = "public" | "internal" | "private";
type Outcome = "ok" | "401" | "403" | "404" | "protected";

const EXPECT: Record<Who, Record<Vis, { clone: Outcome; push: Outcome; pushProtected: Outcome }>> = {
  anonymous: {
    public: { clone: "ok", push: "401", pushProtected: "401" },
    internal: { clone: "401", push: "401", pushProtected: "401" },
    private: { clone: "401", push: "401", pushProtected: "401" },
  },
  outsider: {
    public: { clone: "ok", push: "403", pushProtected: "403" },
    internal: { clone: "ok", push: "403", pushProtected: "403" },
    private: { clone: "404", push: "404", pushProtected: "404" },
  },
  guest: {
    public: { clone: "ok", push: "403", pushProtected: "403" },
    internal: { clone: "ok", push: "403", pushProtected: "403" },
    // GitLab: a guest sees a private project but may not read its code.
    private: { clone: "403", push: "403", pushProtected: "403" },
  },
  reporter: {
    public: { clone: "ok", push: "403", pushProtected: "403" },
    internal: { clone: "ok", push: "403", pushProtected: "403" },
    private: { clone: "ok", push: "403", pushProtected: "403" },
  },
  developer: {
    public: { clone: "ok", push: "ok", pushProtected: "protected" },
    internal: { clone: "ok", push: "ok", pushProtected: "protected" },
    private: { clone: "ok", push: "ok", pushProtected: "protected" },
  },
  maintainer: {
    public: { clone: "ok", push: "ok", pushProtected: "ok" },
    internal: { clone: "ok", push: "ok", pushProtected: "ok" },
    private: { clone: "ok", push: "ok", pushProtected: "ok" },
  },
};

const MESSAGES: Record<Exclude<Outcome, "ok">, RegExp> = {
  "401": /could not read Username|Authentication failed|terminal prompts disabled/,
  "404": /not found/i,
  "403": /You are not allowed to (push|download) code (to|from) this project\.|403/,
  protected: /remote: GitLab: You are not allowed to push code to protected branches on this project\./,
};

describe("git permission matrix", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Awaited<ReturnType<typeof startGitApp>>;
  let owner: User;
  const users = {} as Record<Exclude<Who, "anonymous">, User>;
  const projects = {} as Record<Vis, Project>;
  let seq = 0;

  const credOf = (who: Who) => (who === "anonymous" ? null : cred(users[who]));
  const pathOf = (vis: Vis) => `${projects[vis].namespace}/${projects[vis].path}.git`;

  beforeAll(async () => {
    t = await createTestDatabase();
    state.db = t.db;
    app = await startGitApp();
    const db: Db = t.db;
    owner = await mkUser(db, "olivia");
    for (const who of ["outsider", "guest", "reporter", "developer", "maintainer"] as const)
      users[who] = await mkUser(db, who);
    for (const vis of ["public", "internal", "private"] as const) {
      const project = await createProject({ db, owner, name: `m-${vis}`, visibility: vis });
      projects[vis] = project;
      for (const role of ["guest", "reporter", "developer", "maintainer"] as const)
        await addProjectMember({
          db,
          actor: owner,
          project,
          username: role,
          accessLevel: ACCESS_LEVELS[role],
        });
      const dir = await commitOnTop(app, cred(owner), pathOf(vis));
      await gitOk(dir, ["push", "-q", "origin", "main"]);
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const cases = (Object.keys(EXPECT) as Who[]).flatMap((who) =>
    (["public", "internal", "private"] as const).map((vis) => [who, vis] as const),
  );

  it.each(cases)("%s × %s: clone, push, push to protected main", async (who, vis) => {
    const expected = EXPECT[who][vis];
    const c = credOf(who);

    const dest = await mkdtemp(join(app.tmp, "clone-"));
    const clone = await git(app.tmp, ["clone", "-q", app.url(c, pathOf(vis)), dest]);
    check("clone", clone, expected.clone);

    // Commits are prepared by the owner; only the push itself runs as `who`.
    const branch = `feature-${who}-${vis}-${seq++}`;
    const work = await commitOnTop(app, cred(owner), pathOf(vis), branch);
    const push = await git(work, ["push", app.url(c, pathOf(vis)), `HEAD:refs/heads/${branch}`]);
    check("push", push, expected.push);

    const main = await commitOnTop(app, cred(owner), pathOf(vis));
    const head = await gitOk(main, ["rev-parse", "HEAD"]);
    const pushMain = await git(main, ["push", app.url(c, pathOf(vis)), "HEAD:refs/heads/main"]);
    check("push to protected main", pushMain, expected.pushProtected);

    // The ref moved exactly when the push succeeded; nothing else was recorded.
    const remoteMain = (
      await gitOk(app.tmp, ["ls-remote", app.url(cred(owner), pathOf(vis)), "refs/heads/main"])
    ).split("\t")[0];
    expect(remoteMain === head).toBe(expected.pushProtected === "ok");
    const events = await t.db.pushEvent.count({ where: { projectId: projects[vis].id, newSha: head } });
    expect(events).toBe(expected.pushProtected === "ok" ? 1 : 0);
  });

  it("leaves every repository fsck-clean", async () => {
    for (const vis of ["public", "internal", "private"] as const)
      expect(await fsck(app, projects[vis].namespace, projects[vis].path)).toBe("");
  });
});

function check(what: string, r: { code: number; stderr: string }, expected: Outcome): void {
  if (expected === "ok") {
    expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    return;
  }
  expect(r.code, `${what} should fail`).not.toBe(0);
  expect(r.stderr, what).toMatch(MESSAGES[expected]);
}
