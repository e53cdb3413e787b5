/**
 * `npm run bench [-- name…]`: a throwaway stack like `npm test`, then every bench/*.ts with tsx (or only
 * the files whose names contain one of the arguments).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, type StackConfig } from "../config.ts";
import { log } from "../log.ts";
import { run } from "../proc.ts";
import { removeDockerRuntime } from "../services/docker.ts";
import { onShutdown } from "../shutdown.ts";
import { bringDown, bringUpApps, bringUpServices, type Stack } from "../stack.ts";
import { testEnv } from "./test.ts";

export async function benchCommand(cfg: StackConfig, only: readonly string[] = []): Promise<number> {
  const benchDir = path.join(REPO_ROOT, "bench");
  const files = existsSync(benchDir)
    ? readdirSync(benchDir)
        .filter((f) => f.endsWith(".ts") && (only.length === 0 || only.some((o) => f.includes(o))))
        .sort()
    : [];
  if (files.length === 0) {
    log.warn("no bench/*.ts files");
    return 0;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "minilab-bench-"));
  let stack: Stack | undefined;
  const teardown = async (): Promise<void> => {
    if (stack) await bringDown(stack);
    stack = undefined;
    removeDockerRuntime(path.join(tmp, "data"));
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  onShutdown(teardown);
  let failed = 0;
  try {
    stack = await bringUpServices(cfg, "test", path.join(tmp, "data"));
    await bringUpApps(stack);
    for (const f of files) {
      log.step(`bench/${f}`);
      const r = await run(process.execPath, ["--import", "tsx", path.join(benchDir, f)], {
        cwd: REPO_ROOT,
        inherit: true,
        env: testEnv(stack),
      });
      if (r.code !== 0) {
        failed++;
        log.fail(`bench/${f} exited ${r.code}`);
      }
    }
  } finally {
    await teardown();
  }
  log.info(`${files.length - failed} of ${files.length} benchmarks completed`);
  return failed ? 1 : 0;
}
