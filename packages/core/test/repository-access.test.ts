/**
 * Repository use-cases apply the project's read rules before touching git: outsiders of a private
 * project and anonymous visitors are refused, members and the owner read. Needs DATABASE_URL.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import type { Project, User } from "@minilab/db";
import { initBareRepo, repoDir } from "@minilab/git";
import {
  AppError,
  browseTree,
  coreConfig,
  findReadme,
  getCommitWithDiff,
  listProjectBranches,
  readFile,
  resetCoreConfig,
  resolveTreeRef,
} from "@minilab/core";

let t: TestDatabase;
let dataDir: string;
let owner: User;
let outsider: User;
let reporter: User;
let project: Project;
let sha: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "A",
      GIT_AUTHOR_EMAIL: "a@x.test",
      GIT_COMMITTER_NAME: "A",
      GIT_COMMITTER_EMAIL: "a@x.test",
    },
  }).trim();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "minilab-repo-access-"));
  process.env["MINILAB_DATA_DIR"] = dataDir;
  resetCoreConfig();
  t = await createTestDatabase();
  const mk = (username: string) =>
    t.db.user.create({ data: { username, email: `${username}@x.test`, name: username, passwordHash: "x" } });
  [owner, outsider, reporter] = await Promise.all([mk("owner"), mk("outsider"), mk("reporter")]);
  project = await t.db.project.create({
    data: { namespace: "owner", path: "secret", name: "Secret", ownerId: owner.id, visibility: "private" },
  });
  await t.db.projectMember.create({ data: { projectId: project.id, userId: reporter.id, accessLevel: 20 } });
  const bare = repoDir(coreConfig().reposDir, project.namespace, project.path);
  await initBareRepo(bare);
  const work = path.join(dataDir, "work");
  git(dataDir, "init", "-q", "-b", "main", work);
  writeFileSync(path.join(work, "README.md"), "# Secret\n");
  git(work, "add", "-A");
  git(work, "commit", "-q", "-m", "first");
  git(work, "push", "-q", bare, "main");
  sha = git(work, "rev-parse", "HEAD");
});

afterAll(async () => {
  await t?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const code = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  return e instanceof AppError ? e.code : e;
};

describe("repository reads on a private project", () => {
  it("refuse outsiders as not found and anonymous visitors as unauthorized", async () => {
    const db = t.db;
    expect(await code(browseTree({ db, user: outsider, project, sha, path: "" }))).toBe("not_found");
    expect(await code(readFile({ db, user: outsider, project, sha, path: "README.md" }))).toBe("not_found");
    expect(await code(getCommitWithDiff({ db, user: outsider, project, sha }))).toBe("not_found");
    expect(await code(listProjectBranches({ db, user: outsider, project }))).toBe("not_found");
    expect(await code(resolveTreeRef({ db, user: null, project, segments: ["main"] }))).toBe("unauthorized");
    expect(await code(findReadme({ db, user: null, project, sha }))).toBe("unauthorized");
  });

  it("let the owner and a reporter read", async () => {
    const db = t.db;
    for (const user of [owner, reporter]) {
      expect((await browseTree({ db, user, project, sha, path: "" })).map((e) => e.name)).toEqual([
        "README.md",
      ]);
      expect((await findReadme({ db, user, project, sha }))?.text).toBe("# Secret\n");
    }
    expect(
      (await listProjectBranches({ db, user: owner, project })).map((b) => [b.name, b.pipeline]),
    ).toEqual([["main", null]]);
  });

  it("answer not_found for unknown refs and paths, invalid_input for traversal", async () => {
    const db = t.db;
    expect(await code(resolveTreeRef({ db, user: owner, project, segments: ["nope"] }))).toBe("not_found");
    expect(await code(readFile({ db, user: owner, project, sha, path: "nope.txt" }))).toBe("not_found");
    expect(await code(browseTree({ db, user: owner, project, sha, path: "../x" }))).toBe("invalid_input");
  });
});
