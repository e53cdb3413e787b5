import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { playwrightCounts, summaryLines, vitestCounts } from "../src/test-report.ts";

const tmp = mkdtempSync(path.join(os.tmpdir(), "minilab-report-"));
const write = (name: string, data: unknown): string => {
  const f = path.join(tmp, name);
  writeFileSync(f, JSON.stringify(data));
  return f;
};

describe("test report counting", () => {
  it("counts vitest tests and a test file that failed to load", () => {
    const f = write("v.json", {
      numPassedTests: 7,
      numFailedTests: 1,
      testResults: [
        { status: "failed", assertionResults: [] },
        { status: "passed", assertionResults: [{}] },
      ],
    });
    expect(vitestCounts(f)).toEqual({ passed: 7, failed: 2 });
  });

  it("counts playwright flaky tests as passed and unexpected as failed", () => {
    const f = write("p.json", { stats: { expected: 3, unexpected: 1, flaky: 1, skipped: 2 }, errors: [] });
    expect(playwrightCounts(f)).toEqual({ passed: 4, failed: 1 });
  });

  it("returns undefined for a missing report", () => {
    expect(vitestCounts(path.join(tmp, "nope.json"))).toBeUndefined();
  });

  it("ends the summary with exactly `N passed, M failed`", () => {
    const lines = summaryLines([
      { name: "typecheck", ok: false, detail: "exit 2", counts: { passed: 0, failed: 1 }, seconds: 3 },
      {
        name: "vitest",
        ok: true,
        detail: "10 passed, 0 failed",
        counts: { passed: 10, failed: 0 },
        seconds: 9,
      },
    ]);
    expect(lines.at(-1)).toBe("10 passed, 1 failed");
    expect(lines).toHaveLength(3);
  });
});
