import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareCommits, diffCommits, readCommitDiff } from "../src/index.ts";
import { parseHunks, parseRawNumstat } from "../src/diff-parse.ts";
import { readFixture, type ReadFixture } from "./read-fixture.ts";

let f: ReadFixture;
beforeAll(async () => {
  f = await readFixture();
});
afterAll(() => f?.close());

describe("diff parsing", () => {
  it("numbers old and new lines in hunks", () => {
    const hunks = parseHunks(
      "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -3,2 +3,3 @@ fn\n a\n-b\n+c\n+d\n\\ No newline at end of file\n",
    );
    expect(hunks).toHaveLength(1);
    expect(hunks[0]?.lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ["context", 3, 3],
      ["del", 4, null],
      ["add", null, 4],
      ["add", null, 5],
      ["meta", null, null],
    ]);
  });

  it("reads renames and binary files from raw + numstat", () => {
    const out =
      ":100644 100644 aaa bbb R090\0old name\0new name\0:000000 100644 000 ccc A\0img.png\0" +
      "1\t1\t\0old name\0new name\0-\t-\timg.png\0";
    expect(parseRawNumstat(out)).toMatchObject([
      { status: "renamed", oldPath: "old name", newPath: "new name", additions: 1, deletions: 1 },
      { status: "added", newPath: "img.png", binary: true },
    ]);
  });
});

describe("commit diffs", () => {
  it("diffs a commit against its parent, with a rename and counts", async () => {
    const d = await readCommitDiff(f.bare, f.feature, [f.main]);
    expect(d.truncated).toBe(false);
    const util = d.files.find((x) => x.newPath === "src/lib/deep/util.ts");
    expect(util).toMatchObject({ status: "modified", additions: 2, deletions: 1 });
    expect(util?.hunks[0]?.lines.filter((l) => l.kind === "add").map((l) => l.text)).toEqual([
      "  return 43;",
      "// more",
    ]);
    expect(d.files.find((x) => x.status === "renamed")).toMatchObject({
      oldPath: "src/index.ts",
      newPath: "src/main.ts",
    });
  });

  it("diffs a root commit, marks binary files and caps large ones", async () => {
    const d = await readCommitDiff(f.bare, f.first, [], { maxLinesPerFile: 100 });
    expect(d.files.map((x) => x.newPath).sort()).toContain("docs/with space/naïve café.md");
    expect(d.files.find((x) => x.newPath === "logo.png")).toMatchObject({ status: "added", binary: true });
    const big = d.files.find((x) => x.newPath === "big.txt");
    expect(big).toMatchObject({ additions: 30_000, truncated: true });
    expect(d.truncated).toBe(true);
  });

  it("stops reading at the whole-diff byte limit", async () => {
    const d = await diffCommits(f.bare, null, f.first, { maxPatchBytes: 4096 });
    expect(d.truncated).toBe(true);
    expect(d.files.length).toBeGreaterThan(3);
  });
});

describe("compare", () => {
  it("lists commits of to not in from, and the diff from the merge base", async () => {
    const c = await compareCommits(f.bare, f.main, f.feature);
    expect(c.mergeBase).toBe(f.main);
    expect(c.commits.map((x) => x.sha)).toEqual([f.feature]);
    expect(c.diff.files).toHaveLength(2);
    const back = await compareCommits(f.bare, f.feature, f.main);
    expect(back.commits).toEqual([]);
    expect(back.diff.files).toEqual([]);
  });
});
