/**
 * `npm test`: provision a throwaway stack (temp data dir, free ports, job network mode "none"), run
 * every check and test suite in order while collecting each exit status, tear everything down and
 * print a summary whose last line is exactly `N passed, M failed`.
 *
 * For development speed, `MINILAB_TEST_ONLY=vitest,playwright` or `MINILAB_TEST_SKIP=lint` select
 * steps (names: services, typecheck, lint, circular, format, apps, vitest, playwright); extra
 * arguments (`npm test -- packages/git`) go to vitest. The default runs everything.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { childEnv, REPO_ROOT, type StackConfig } from "../config.ts";
import { log } from "../log.ts";
import { run } from "../proc.ts";
import { removeDockerRuntime } from "../services/docker.ts";
import { onShutdown } from "../shutdown.ts";
import { bringDown, bringUpApps, bringUpServices, type Stack } from "../stack.ts";
import {
  playwrightCounts,
  summaryLines,
  vitestCounts,
  type Counts,
  type StepResult,
} from "../test-report.ts";

const bin = (name: string): string => path.join(REPO_ROOT, "node_modules", ".bin", name);

export const STEP_NAMES = [
  "services",
  "typecheck",
  "lint",
  "circular",
  "format",
  "apps",
  "vitest",
  "playwright",
] as const;

/** Environment integration tests and e2e specs read. */
export function testEnv(stack: Stack): NodeJS.ProcessEnv {
  return childEnv({
    DATABASE_URL: stack.databaseUrl,
    REDIS_URL: stack.redisUrl,
    DOCKER_HOST: stack.dockerHost,
    MINILAB_WEB_URL: stack.webUrl,
    MINILAB_DATA_DIR: stack.dataDir,
    MINILAB_RUNNER_TOKEN: stack.provisioned.runnerToken,
    MINILAB_ROOT_PASSWORD: stack.provisioned.createdAdmin?.password,
  });
}

export async function testCommand(cfg: StackConfig, extraArgs: string[]): Promise<number> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "minilab-test-"));
  const dataDir = path.join(tmp, "data");
  const results: StepResult[] = [];
  let stack: Stack | undefined;
  const teardown = async (): Promise<void> => {
    if (stack) await bringDown(stack).catch((e: unknown) => log.warn(`teardown: ${String(e)}`));
    stack = undefined;
    removeDockerRuntime(path.join(tmp, "data"));
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  onShutdown(teardown);

  const selected = (name: string): boolean =>
    (cfg.testOnly.length === 0 || cfg.testOnly.includes(name)) && !cfg.testSkip.includes(name);
  const step = async (
    name: string,
    fn: () => Promise<{ ok: boolean; detail?: string; counts?: Counts }>,
  ): Promise<boolean> => {
    if (!selected(name)) {
      results.push({ name, ok: true, detail: "skipped", counts: { passed: 0, failed: 0 }, seconds: 0 });
      return true;
    }
    log.step(`[${name}]`);
    const t0 = Date.now();
    let r: { ok: boolean; detail?: string; counts?: Counts };
    try {
      r = await fn();
    } catch (e) {
      log.fail(e instanceof Error ? e.message : String(e));
      r = { ok: false, detail: "error" };
    }
    const counts = r.counts ?? { passed: 0, failed: r.ok ? 0 : 1 };
    results.push({
      name,
      ok: r.ok,
      detail: r.detail ?? (r.ok ? "ok" : "failed"),
      counts,
      seconds: (Date.now() - t0) / 1000,
    });
    return r.ok;
  };
  const exec = async (
    cmd: string,
    args: string[],
    env?: NodeJS.ProcessEnv,
  ): Promise<{ ok: boolean; detail: string }> => {
    const r = await run(cmd, args, { cwd: REPO_ROOT, inherit: true, ...(env ? { env } : {}) });
    return { ok: r.code === 0, detail: r.code === 0 ? "ok" : `exit ${r.code}` };
  };
  const needsStack = ["apps", "vitest", "playwright"].some(selected);

  const servicesUp = await step("services", async () => {
    if (!needsStack) return { ok: true, detail: "not needed" };
    stack = await bringUpServices(cfg, "test", dataDir);
    return { ok: true };
  });
  await step("typecheck", () => exec(bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]));
  await step("lint", () => exec(bin("eslint"), [".", "--max-warnings", "0"]));
  await step("circular", () => exec("npm", ["run", "-s", "circular"]));
  await step("format", () => exec(bin("prettier"), ["--check", "."]));
  const appsUp = await step("apps", async () => {
    if (!stack) return { ok: false, detail: "not run: services failed" };
    await bringUpApps(stack);
    return { ok: true };
  });
  await step("vitest", async () => {
    if (!stack) return { ok: false, detail: "not run: services failed" };
    const report = path.join(tmp, "vitest.json");
    const r = await run(
      bin("vitest"),
      ["run", "--reporter=default", "--reporter=json", `--outputFile=${report}`, ...extraArgs],
      {
        cwd: REPO_ROOT,
        inherit: true,
        env: testEnv(stack),
      },
    );
    return fromReport(r.code, vitestCounts(report));
  });
  await step("playwright", async () => {
    if (!existsSync(path.join(REPO_ROOT, "playwright.config.ts")))
      return { ok: true, detail: "no playwright.config.ts", counts: { passed: 0, failed: 0 } };
    if (!stack || !appsUp || !servicesUp) return { ok: false, detail: "not run: web app is not up" };
    const report = path.join(tmp, "playwright.json");
    const env = { ...testEnv(stack), PLAYWRIGHT_JSON_OUTPUT_NAME: report };
    const r = await run(bin("playwright"), ["test", "--reporter=list,json"], {
      cwd: REPO_ROOT,
      inherit: true,
      env,
    });
    return fromReport(r.code, playwrightCounts(report));
  });

  await teardown();
  const lines = summaryLines(results);
  process.stdout.write(`\n${lines.join("\n")}\n`);
  return results.every((r) => r.ok) ? 0 : 1;
}

/** A suite counts by its report; a non-zero exit with no failed test in it still counts as one failure. */
function fromReport(
  code: number,
  counts: Counts | undefined,
): { ok: boolean; detail: string; counts: Counts } {
  const c = counts ?? { passed: 0, failed: 0 };
  if (code !== 0 && c.failed === 0) c.failed = 1;
  return {
    ok: code === 0,
    detail: `${c.passed} passed, ${c.failed} failed${code !== 0 ? ` (exit ${code})` : ""}`,
    counts: c,
  };
}
