import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GitInputError,
  initBareRepo,
  readBlobAtCommit,
  readCommit,
  repoDir,
  resolveRef,
} from "../src/index.ts";
import { gitOk } from "./helpers.ts";

let tmp: string;
let bare: string;
let first: string;
let second: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "minilab-git-test-read-"));
  bare = repoDir(tmp, "ns", "proj");
  await initBareRepo(bare);
  const work = join(tmp, "work");
  await gitOk(tmp, ["clone", "-q", bare, work]);
  await writeFile(join(work, ".gitlab-ci.yml"), "test:\n  script: [echo hi]\n");
  await gitOk(work, ["add", "."]);
  await gitOk(work, ["commit", "-q", "-m", "Add CI\n\nWith a body line."]);
  first = await gitOk(work, ["rev-parse", "HEAD"]);
  await gitOk(work, ["rm", "-q", ".gitlab-ci.yml"]);
  await gitOk(work, ["commit", "-q", "-m", "Remove CI"]);
  second = await gitOk(work, ["rev-parse", "HEAD"]);
  await gitOk(work, ["tag", "-a", "-m", "release", "v1", first]);
  await gitOk(work, ["push", "-q", "origin", "main", "v1"]);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("repoDir", () => {
  it("maps namespace/path to <root>/<ns>/<path>.git", () => {
    expect(repoDir("/srv/repos", "acme", "my-app.v2")).toBe("/srv/repos/acme/my-app.v2.git");
  });

  it.each([
    ["..", "x"],
    ["acme", ".."],
    ["acme", "a..b"],
    ["acme", "../etc"],
    ["acme/evil", "x"],
    ["acme", ".hidden"],
    ["acme", "-option"],
    ["", "x"],
    ["acme", "x.git"],
  ])("refuses %j / %j", (ns, p) => {
    expect(() => repoDir("/srv/repos", ns, p)).toThrow(GitInputError);
  });
});

describe("initBareRepo", () => {
  it("creates a bare repo on main that accepts pushes, and is idempotent", async () => {
    const dir = repoDir(tmp, "ns", "fresh");
    await initBareRepo(dir);
    await initBareRepo(dir);
    expect((await stat(join(dir, "HEAD"))).isFile()).toBe(true);
    expect(await gitOk(dir, ["symbolic-ref", "HEAD"])).toBe("refs/heads/main");
    expect(await gitOk(dir, ["config", "--bool", "core.bare"])).toBe("true");
    expect(await gitOk(dir, ["config", "--bool", "http.receivepack"])).toBe("true");
    // Re-init must not clobber existing history.
    await initBareRepo(bare);
    expect(await resolveRef(bare, "main")).toBe(second);
  });
});

describe("reads", () => {
  it("reads a blob at a commit; missing file → null; unknown commit → not_found", async () => {
    expect((await readBlobAtCommit(bare, first, ".gitlab-ci.yml"))?.toString()).toContain("echo hi");
    expect((await readBlobAtCommit(bare, first, "/.gitlab-ci.yml"))?.toString()).toContain("echo hi");
    expect(await readBlobAtCommit(bare, second, ".gitlab-ci.yml")).toBeNull();
    await expect(readBlobAtCommit(bare, "1".repeat(40), ".gitlab-ci.yml")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("refuses malformed shas and paths before running git", async () => {
    await expect(readBlobAtCommit(bare, "--help", "x")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(readBlobAtCommit(bare, "HEAD", "x")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(readBlobAtCommit(bare, first, "../x")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(readCommit(bare, "main~1")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(resolveRef(bare, "--all")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(resolveRef(bare, "main@{1}")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(resolveRef(bare, "main..feature")).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("reads commit metadata", async () => {
    const c = await readCommit(bare, first);
    expect(c).toMatchObject({
      sha: first,
      title: "Add CI",
      message: "Add CI\n\nWith a body line.",
      authorName: "Ada Lovelace",
      authorEmail: "ada@example.test",
    });
    expect(c.authoredAt).toBeInstanceOf(Date);
    expect(Math.abs(c.authoredAt.getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it("resolves branches, full refs and annotated tags (peeled) to commit shas", async () => {
    expect(await resolveRef(bare, "main")).toBe(second);
    expect(await resolveRef(bare, "refs/heads/main")).toBe(second);
    expect(await resolveRef(bare, "v1")).toBe(first);
    expect(await resolveRef(bare, "refs/tags/v1")).toBe(first);
    expect(await resolveRef(bare, first)).toBe(first);
    expect(await resolveRef(bare, "nope")).toBeNull();
  });
});
