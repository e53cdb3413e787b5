import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCommit, listBranches, listCommits, listTags, resolveRefPath } from "../src/index.ts";
import { readFixture, type ReadFixture } from "./read-fixture.ts";

let f: ReadFixture;
beforeAll(async () => {
  f = await readFixture();
});
afterAll(() => f?.close());

describe("listCommits", () => {
  it("pages through history newest first", async () => {
    const p1 = await listCommits(f.bare, f.main, { limit: 20 });
    expect(p1.commits).toHaveLength(20);
    expect(p1.hasMore).toBe(true);
    expect(p1.commits[0]).toMatchObject({ sha: f.main, title: "Count 29", authorName: "Ada Lovelace" });
    const p2 = await listCommits(f.bare, f.main, { skip: 20, limit: 20 });
    expect(p2.commits).toHaveLength(10);
    expect(p2.hasMore).toBe(false);
    expect(p2.commits.at(-1)).toMatchObject({
      sha: f.first,
      parents: [],
      message: "Initial import\n\nWith a body.",
    });
  });

  it("filters by path", async () => {
    const p = await listCommits(f.bare, f.feature, { path: "src/lib" });
    expect(p.commits.map((c) => c.title)).toEqual(["Rename index and tweak util", "Initial import"]);
  });

  it("reads one commit with its parents", async () => {
    const c = await getCommit(f.bare, f.feature);
    expect(c?.parents).toEqual([f.main]);
    expect(c?.committedAt.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(await getCommit(f.bare, "f".repeat(40))).toBeNull();
  });
});

describe("branches and tags", () => {
  it("lists branches most recent first", async () => {
    const b = await listBranches(f.bare);
    expect(b.map((x) => x.name)).toEqual(["feature/x", "main"]);
    expect(b[0]).toMatchObject({ sha: f.feature, title: "Rename index and tweak util" });
  });

  it("lists tags peeled, with the annotation", async () => {
    const t = await listTags(f.bare);
    expect(t.map((x) => x.name)).toEqual(["v1.0", "v0.1"]);
    expect(t[0]).toMatchObject({ sha: f.main, title: "Count 29", message: "Release 1.0" });
    expect(t[1]).toMatchObject({ sha: f.first, title: "Initial import" });
    expect(t[1]?.message).toBeUndefined();
  });
});

describe("resolveRefPath", () => {
  it("takes the longest branch name, so refs may contain slashes", async () => {
    expect(await resolveRefPath(f.bare, ["feature", "x", "src", "main.ts"])).toEqual({
      ref: "feature/x",
      sha: f.feature,
      path: "src/main.ts",
    });
    expect(await resolveRefPath(f.bare, ["main"])).toEqual({ ref: "main", sha: f.main, path: "" });
    expect(await resolveRefPath(f.bare, ["v0.1", "README.md"])).toMatchObject({ sha: f.first });
  });

  it("accepts an abbreviated commit sha and refuses unknown refs", async () => {
    expect(await resolveRefPath(f.bare, [f.first.slice(0, 8), "src"])).toEqual({
      ref: f.first.slice(0, 8),
      sha: f.first,
      path: "src",
    });
    expect(await resolveRefPath(f.bare, ["feature"])).toBeNull();
    expect(await resolveRefPath(f.bare, ["nope", "x"])).toBeNull();
  });
});
