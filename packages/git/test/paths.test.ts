import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedPaths, GitInputError, listFiles, mergeBase } from "../src/index.ts";
import { readFixture, type ReadFixture } from "./read-fixture.ts";

let f: ReadFixture;
beforeAll(async () => {
  f = await readFixture();
});
afterAll(() => f?.close());

describe("listFiles", () => {
  it("lists every file at a commit, nested and unicode paths included, no directories", async () => {
    expect(await listFiles(f.bare, f.main)).toEqual([
      "README.md",
      "big.txt",
      "docs/with space/naïve café.md",
      "logo.png",
      "src/counter.txt",
      "src/index.ts",
      "src/lib/deep/util.ts",
    ]);
    expect(await listFiles(f.bare, f.first)).not.toContain("src/counter.txt");
  });

  it("refuses unknown commits and option-like input", async () => {
    await expect(listFiles(f.bare, "f".repeat(40))).rejects.toBeInstanceOf(GitInputError);
    await expect(listFiles(f.bare, "--output=/tmp/x")).rejects.toBeInstanceOf(GitInputError);
  });
});

describe("changedPaths", () => {
  it("names both sides of a rename and each modified file", async () => {
    expect((await changedPaths(f.bare, f.main, f.feature)).sort()).toEqual([
      "src/index.ts",
      "src/lib/deep/util.ts",
      "src/main.ts",
    ]);
    expect(await changedPaths(f.bare, f.main, f.main)).toEqual([]);
  });
});

describe("mergeBase", () => {
  it("finds the fork point of a branch", async () => {
    expect(await mergeBase(f.bare, f.feature, f.main)).toBe(f.main);
    expect(await mergeBase(f.bare, f.first, f.feature)).toBe(f.first);
  });
});
