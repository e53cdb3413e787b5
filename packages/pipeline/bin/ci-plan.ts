/**
 * `npm run -s ci:plan -- --json --ref <branch> [--tag <tag>] [--var K=V]… <path/to/.gitlab-ci.yml>`
 *
 * Prints the jobs the pipeline would contain, in stage order, as `{name, stage, when, allow_failure,
 * needs}`; `[]` when `workflow:rules` prevent the pipeline. The file's folder is the repository root.
 * Exit codes: 0 planned, 1 invalid configuration (problems on stderr), 2 usage error.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { check, formatProblem } from "../src/index.ts";
import { predefinedForRules } from "../src/predefined.ts";
import { repoDirFiles } from "./repo-dir-files.ts";

const USAGE = "usage: ci:plan -- --json --ref <branch> [--tag <tag>] [--var K=V]... <path/to/.gitlab-ci.yml>";

function main(argv: string[]): number {
  let ref = "main";
  let tag: string | null = null;
  let file: string | null = null;
  const vars: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--json") continue;
    else if (arg === "--ref") ref = next();
    else if (arg === "--tag") tag = next();
    else if (arg === "--var") {
      const kv = next();
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new Error(`--var expects K=V, got ${kv}`);
      vars[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else file = arg;
  }
  if (!file) throw new Error("missing path to .gitlab-ci.yml");
  const path = resolve(file);
  const text = readFileSync(path, "utf8");
  const files = repoDirFiles(dirname(path));
  const isTag = tag !== null;
  const name = tag ?? ref;
  const ctx = {
    ref: name,
    tag: isTag,
    source: "push",
    defaultBranch: "main",
    variables: predefinedForRules({ ref: name, tag: isTag, source: "push", defaultBranch: "main" }),
    pipelineVariables: vars,
    changedFiles: null,
    files,
  };
  const result = check(text, ctx, { files });
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(`${formatProblem(p)}\n`);
    return 1;
  }
  const out = result.plan.jobs.map((j) => ({
    name: j.name,
    stage: j.stage,
    when: j.when,
    allow_failure: j.allowFailure,
    needs: j.needs === null ? null : j.needs.map((n) => n.name),
  }));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
  process.exitCode = 2;
}
