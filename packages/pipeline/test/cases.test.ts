/**
 * Fixture-folder tests: every `cases/<case>/` (`.gitlab-ci.yml` + repository files) is planned for each
 * ref its `expected.json` names, and the outcome must equal it — plans per ref, or `{ problems }`.
 */
import { describe, expect, it } from "vitest";
import { loadFixtures } from "./fixtures.ts";
import { runCase } from "./run-case.ts";

const fixtures = loadFixtures();

describe("pipeline fixture cases", () => {
  it("has enough cases to mean something", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(80);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expect(runCase(fixture.files, fixture.expected)).toEqual(fixture.expected);
  });
});
