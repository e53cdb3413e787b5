/**
 * Property test: whatever the input — arbitrary text, arbitrary YAML-shaped values, or mutations of real
 * fixtures — the engine never throws: it returns a plan or typed problems.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { check, filesFromRecord, type Problem } from "../src/index.ts";
import { predefinedForRules } from "../src/predefined.ts";
import { loadFixtures } from "./fixtures.ts";

const ctx = {
  ref: "main",
  source: "push",
  defaultBranch: "main",
  variables: predefinedForRules({ ref: "main", tag: false, source: "push", defaultBranch: "main" }),
};

function isProblem(p: Problem): boolean {
  return typeof p.message === "string" && p.message.length > 0 && typeof p.path === "string";
}

function neverThrows(text: string, files: Record<string, string> = {}): void {
  const repo = filesFromRecord({ ...files, ".gitlab-ci.yml": text });
  const r = check(text, { ...ctx, files: repo }, { files: repo });
  if (r.ok) expect(Array.isArray(r.plan.jobs)).toBe(true);
  else expect(r.problems.length > 0 && r.problems.every(isProblem)).toBe(true);
  // Whatever came out must survive a JSON round trip (it is stored as is).
  expect(() => JSON.stringify(r)).not.toThrow();
}

const KEYS = [
  "script",
  "stage",
  "when",
  "rules",
  "needs",
  "extends",
  "parallel",
  "variables",
  "only",
  "except",
  "image",
  "services",
  "allow_failure",
  "retry",
  "timeout",
  "artifacts",
  "cache",
  "if",
  "changes",
  "exists",
  "matrix",
  "include",
  "local",
  "default",
  "inherit",
  "workflow",
  "stages",
  "job",
  "optional",
  "trigger",
  "!reference",
];
const scalar = fc.oneof(
  fc.constantFrom(...KEYS, "manual", "never", '$CI == "x"', "/re/", "build", "1h", "*.yml"),
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie("node"), { maxKeys: 5 }),
  ),
})).node;

describe("the engine never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (t) => neverThrows(t)),
      { numRuns: 300 },
    );
  });

  it("on arbitrary YAML-shaped values", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), value, { maxKeys: 6 }),
        (v) => neverThrows(stringify(v)),
      ),
      { numRuns: 500 },
    );
  });

  it("on mutated fixtures", () => {
    const fixtures = loadFixtures();
    fc.assert(
      fc.property(
        fc.nat(fixtures.length - 1),
        fc.nat(),
        fc.nat(20),
        fc.string({ maxLength: 8 }),
        (i, at, cut, insert) => {
          const f = fixtures[i];
          if (!f) return;
          const text = f.files[".gitlab-ci.yml"] ?? "";
          const pos = text.length === 0 ? 0 : at % text.length;
          neverThrows(text.slice(0, pos) + insert + text.slice(pos + cut), f.files);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("on self-referencing extends, needs and !reference", () => {
    neverThrows(".a:\n  extends: .a\nj:\n  extends: .a\n  script: x\n");
    neverThrows("j:\n  script: !reference [j, script]\n");
    neverThrows("j:\n  script: x\n  needs: [j]\n");
    neverThrows("include: .gitlab-ci.yml\nj:\n  script: x\n");
  });
});
