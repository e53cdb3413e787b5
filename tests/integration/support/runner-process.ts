/**
 * A runner process of our own for integration tests and benches, registered through core (see
 * e2e/support/runner-process.ts for the process side, shared with the e2e specs).
 */
import { registerRunner } from "@minilab/core";
import type { Db } from "@minilab/db";
import { spawnRunner, type TestRunner } from "../../../e2e/support/runner-process.ts";

export type RunnerProcess = TestRunner;

/** `env` adds runner settings, e.g. `{ MINILAB_RUNNER_EXECUTOR: "fake" }`. */
export async function runnerProcess(
  db: Db,
  tag: string,
  env: Record<string, string> = {},
): Promise<RunnerProcess> {
  const { runner, token } = await registerRunner({ db, tags: [tag], runUntagged: false, description: tag });
  return spawnRunner({ id: runner.id, token }, tag, { MINILAB_RUNNER_NAME: `test-${tag}`, ...env });
}
