import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { check, mergedYaml, parse, planInputs, type PlanContext } from "../src/index.ts";
import { predefinedForRules } from "../src/predefined.ts";

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  ref: "feature",
  source: "push",
  defaultBranch: "main",
  variables: predefinedForRules({ ref: "feature", tag: false, source: "push", defaultBranch: "main" }),
  ...over,
});

const COMPARE = `
docs:
  script: make docs
  rules:
    - changes:
        paths: [docs/**/*]
        compare_to: refs/heads/main
plain:
  script: make
  rules:
    - changes: [src/*]
`;

const jobNames = (text: string, c: PlanContext): string[] => {
  const r = check(text, c);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.plan.jobs.map((j) => j.name);
};

describe("planInputs", () => {
  it("names the facts a config needs from the repository", () => {
    const { config } = parse(COMPARE);
    expect(config && planInputs(config)).toEqual({
      fileList: false,
      changedFiles: true,
      compareTo: ["refs/heads/main"],
    });
    const exists = parse("j:\n  script: x\n  rules:\n    - exists: ['*.md']\n").config;
    expect(exists && planInputs(exists)).toEqual({ fileList: true, changedFiles: false, compareTo: [] });
    const only = parse("j:\n  script: x\n  only:\n    changes: [a]\n").config;
    expect(only && planInputs(only).changedFiles).toBe(true);
  });
});

describe("rules:changes:compare_to", () => {
  it("uses the diff against the compare_to ref, not the push's changed files", () => {
    const changed = { changedFiles: ["src/a.c"] };
    expect(jobNames(COMPARE, ctx({ ...changed, compareToChanges: { "refs/heads/main": [] } }))).toEqual([
      "plain",
    ]);
    expect(
      jobNames(COMPARE, ctx({ ...changed, compareToChanges: { "refs/heads/main": ["docs/a/b.md"] } })),
    ).toEqual(["docs", "plain"]);
  });

  it("still evaluates compare_to when the push's changes are unknown (new branch)", () => {
    const c = ctx({ changedFiles: null, compareToChanges: { "refs/heads/main": ["README.md"] } });
    expect(jobNames(COMPARE, c)).toEqual(["plain"]);
  });
});

describe("mergedYaml", () => {
  it("prints includes merged and extends resolved, and reads back as the same config", () => {
    const files = {
      readFile: (p: string) =>
        p === "ci/base.yml" ? ".base:\n  image: alpine\n  script: [echo base]\n" : null,
      listFiles: () => ["ci/base.yml"],
    };
    const { config } = parse("include: ci/base.yml\nbuild:\n  extends: .base\n  stage: build\n", { files });
    if (!config) throw new Error("no config");
    const text = mergedYaml(config);
    expect(text).not.toContain("include");
    const back = parseYaml(text) as Record<string, Record<string, unknown>>;
    expect(back["build"]).toMatchObject({ image: "alpine", script: ["echo base"], stage: "build" });
    expect(back[".base"]).toMatchObject({ image: "alpine" });
  });
});
