/**
 * The runner as one compiled ES module: `apps/runner/src/main.ts` plus the workspace packages it uses
 * (`@minilab/*`, TypeScript) bundled by esbuild into `apps/runner/dist/main.mjs`; third-party
 * packages stay external and load from node_modules as usual (bullmq reads its Lua scripts from its
 * own directory, dockerode's ssh2 has native parts).
 *
 * Why: under `node --import tsx` the TypeScript loader stays resident and every module is compiled
 * in-process; the bundle idles ≈ 40 MB lower (BENCHMARKS.md, "Runner overhead and memory"). Building
 * takes well under a second, so `npm start` rebuilds every time instead of trusting a stale file.
 * The file is written under a temporary name and renamed, so stacks starting at once never run a
 * half-written bundle.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { REPO_ROOT } from "./config.ts";

export const RUNNER_BUNDLE = path.join(REPO_ROOT, "apps", "runner", "dist", "main.mjs");

/**
 * V8 flags the runner is started with (measured, BENCHMARKS.md): a 1 MB semi-space keeps the young
 * generation below its 16 MB default per semi-space (≈ 18 MB less idle RSS); `--expose-gc` lets the
 * runner collect log-buffer garbage every 2 MiB of log (apps/runner/src/gc-pacer.ts).
 */
export const RUNNER_NODE_FLAGS = ["--max-semi-space-size=1", "--expose-gc"];

/** Workspace packages are bundled (they are TypeScript); everything else is imported at run time. */
const externalDependencies: Plugin = {
  name: "external-dependencies",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@minilab/") ? undefined : { path: args.path, external: true },
    );
  },
};

/** Builds the bundle and returns its path. */
export async function bundleRunner(outfile = RUNNER_BUNDLE): Promise<string> {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${randomBytes(6).toString("hex")}.tmp`;
  await build({
    entryPoints: [path.join(REPO_ROOT, "apps", "runner", "src", "main.ts")],
    outfile: tmp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: [externalDependencies],
    logLevel: "warning",
  });
  renameSync(tmp, outfile);
  return outfile;
}

/** `node` arguments that start the bundled runner (after {@link bundleRunner}). */
export function runnerArgs(outfile = RUNNER_BUNDLE): string[] {
  return [...RUNNER_NODE_FLAGS, outfile];
}
