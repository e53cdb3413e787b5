/** Reads vitest's and Playwright's JSON reports into pass/fail counts for the final summary. */
import { existsSync, readFileSync } from "node:fs";

export interface Counts {
  passed: number;
  failed: number;
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** vitest `--reporter=json` (Jest-compatible): numPassedTests / numFailedTests. */
export function vitestCounts(file: string): Counts | undefined {
  const r = readJson(file) as Record<string, unknown> | undefined;
  if (!r || typeof r !== "object") return undefined;
  // A test file that fails to load has no failed tests but a failed suite: count it.
  const brokenSuites = Array.isArray(r["testResults"])
    ? (r["testResults"] as Record<string, unknown>[]).filter(
        (s) =>
          s["status"] === "failed" &&
          Array.isArray(s["assertionResults"]) &&
          s["assertionResults"].length === 0,
      ).length
    : 0;
  return { passed: num(r["numPassedTests"]), failed: num(r["numFailedTests"]) + brokenSuites };
}

/** Playwright `json` reporter: stats.expected / unexpected / flaky (flaky passed on retry). */
export function playwrightCounts(file: string): Counts | undefined {
  const r = readJson(file) as { stats?: Record<string, unknown>; errors?: unknown[] } | undefined;
  if (!r?.stats) return undefined;
  const errors = Array.isArray(r.errors) ? r.errors.length : 0;
  return {
    passed: num(r.stats["expected"]) + num(r.stats["flaky"]),
    failed: num(r.stats["unexpected"]) + (errors && !num(r.stats["unexpected"]) ? 1 : 0),
  };
}

export interface StepResult {
  name: string;
  ok: boolean;
  /** "skipped", "exit 1", "12 passed, 0 failed", … */
  detail: string;
  counts: Counts;
  seconds: number;
}

/** Lines of the final summary; the last is exactly `N passed, M failed`. */
export function summaryLines(steps: StepResult[]): string[] {
  const width = Math.max(...steps.map((s) => s.name.length), 4);
  const lines = steps.map(
    (s) =>
      `${s.detail === "skipped" ? "-" : s.ok ? "✓" : "✗"} ${s.name.padEnd(width)}  ${s.detail} (${s.seconds.toFixed(0)} s)`,
  );
  const passed = steps.reduce((n, s) => n + s.counts.passed, 0);
  const failed = steps.reduce((n, s) => n + s.counts.failed, 0);
  lines.push(`${passed} passed, ${failed} failed`);
  return lines;
}
