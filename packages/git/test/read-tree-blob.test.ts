import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitInputError, listTree, pathType, readBlob, blobSize, streamBlob } from "../src/index.ts";
import { readFixture, type ReadFixture } from "./read-fixture.ts";

let f: ReadFixture;
beforeAll(async () => {
  f = await readFixture();
});
afterAll(() => f?.close());

describe("listTree", () => {
  it("lists the root directories first, with sizes for files", async () => {
    const entries = await listTree(f.bare, f.main);
    expect(entries?.map((e) => `${e.type}:${e.name}`)).toEqual([
      "tree:docs",
      "tree:src",
      "blob:big.txt",
      "blob:logo.png",
      "blob:README.md",
    ]);
    const readme = entries?.find((e) => e.name === "README.md");
    expect(readme).toMatchObject({ path: "README.md", mode: "100644", size: 25 });
    expect(entries?.find((e) => e.name === "src")?.size).toBeNull();
  });

  it("lists nested directories and paths with spaces and unicode", async () => {
    expect((await listTree(f.bare, f.main, "src/lib"))?.map((e) => e.path)).toEqual(["src/lib/deep"]);
    const docs = await listTree(f.bare, f.main, "docs/with space/");
    expect(docs?.map((e) => e.path)).toEqual(["docs/with space/naïve café.md"]);
  });

  it("answers null for a missing path or a file", async () => {
    expect(await listTree(f.bare, f.main, "nope")).toBeNull();
    expect(await listTree(f.bare, f.main, "README.md")).toBeNull();
  });

  it("refuses traversal and option-like revisions", async () => {
    await expect(listTree(f.bare, f.main, "src/../..")).rejects.toBeInstanceOf(GitInputError);
    await expect(listTree(f.bare, "--output=/tmp/x", "")).rejects.toBeInstanceOf(GitInputError);
  });

  it("knows the type of a path", async () => {
    expect(await pathType(f.bare, f.main, "src")).toBe("tree");
    expect(await pathType(f.bare, f.main, "src/index.ts")).toBe("blob");
    expect(await pathType(f.bare, f.main, "src/ind")).toBeNull();
    expect(await pathType(f.bare, f.feature, "src/index.ts")).toBeNull();
  });
});

describe("readBlob", () => {
  it("reads a text file at a commit", async () => {
    const b = await readBlob(f.bare, f.main, "src/lib/deep/util.ts");
    expect(b?.content.toString()).toContain("return 42");
    expect(b).toMatchObject({ binary: false, truncated: false, size: 37 });
    expect((await readBlob(f.bare, f.feature, "src/lib/deep/util.ts"))?.content.toString()).toContain("43");
  });

  it("reads unicode paths", async () => {
    const b = await readBlob(f.bare, f.main, "docs/with space/naïve café.md");
    expect(b?.content.toString()).toBe("unicode\n");
  });

  it("marks binary files", async () => {
    expect(await readBlob(f.bare, f.main, "logo.png")).toMatchObject({ binary: true, size: 13 });
  });

  it("caps large files and reports the full size", async () => {
    const b = await readBlob(f.bare, f.main, "big.txt", { maxBytes: 1000 });
    expect(b).toMatchObject({ size: 101 * 30_000, truncated: true, binary: false });
    expect(b?.content.length).toBe(1000);
  });

  it("answers null for directories and missing files", async () => {
    expect(await readBlob(f.bare, f.main, "src")).toBeNull();
    expect(await readBlob(f.bare, f.main, "missing.txt")).toBeNull();
  });

  it("streams a whole large file", async () => {
    expect(await blobSize(f.bare, f.main, "big.txt")).toBe(101 * 30_000);
    let n = 0;
    const reader = streamBlob(f.bare, f.main, "big.txt").getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
    }
    expect(n).toBe(101 * 30_000);
  });
});
