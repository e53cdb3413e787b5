/**
 * Fixture-folder tests: every `cases/<case>/.gitlab-ci.yml` is parsed and planned, and the outcome
 * must equal `cases/<case>/expected.json` — either `{ stages, jobs }` or `{ errors }`.
 */
import { describe, expect, it } from "vitest";
// Relative import and Vite's glob (not node:fs): the engine's lint boundary forbids I/O modules here too.
import { parsePipeline, planPipeline } from "../src/index.ts";

const raw = (files: Record<string, string>, suffix: string): Map<string, string> =>
  new Map(
    Object.entries(files).map(([file, text]) => [file.replace(/^\.\/cases\//, "").replace(suffix, ""), text]),
  );
const inputs = raw(
  import.meta.glob<string>("./cases/*/.gitlab-ci.yml", { query: "?raw", import: "default", eager: true }),
  "/.gitlab-ci.yml",
);
const outputs = raw(
  import.meta.glob<string>("./cases/*/expected.json", { query: "?raw", import: "default", eager: true }),
  "/expected.json",
);
const cases = [...inputs.keys()].sort();

describe("pipeline fixture cases", () => {
  it("has enough cases to mean something", () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
  });

  it.each(cases)("%s", (name) => {
    const text = inputs.get(name) ?? "";
    const expected: unknown = JSON.parse(outputs.get(name) ?? "null");
    const parsed = parsePipeline(text);
    const actual = parsed.ok ? planPipeline(parsed.config) : { errors: parsed.errors };
    expect(actual).toEqual(expected);
  });
});

describe("parsePipeline edge cases", () => {
  it("asks for content when the file is empty", () => {
    expect(parsePipeline("")).toEqual({ ok: false, errors: ["Please provide content of .gitlab-ci.yml"] });
  });

  it("rejects a document that is not a mapping", () => {
    expect(parsePipeline("- just\n- a list\n")).toEqual({
      ok: false,
      errors: ["Invalid configuration format"],
    });
  });

  it("refuses alias bombs instead of expanding them", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(i === 1 ? "*a" : `*a${i - 1}`)
          .join(", ")}]`,
      );
    const r = parsePipeline(lines.join("\n"));
    expect(r.ok).toBe(false);
  });
});
