/**
 * Parse + lint + plan of a generated 500-job `.gitlab-ci.yml` (extends, rules, needs, a matrix), timed
 * beside `gitlab-ci-local --list-json` on the same file in the same run.
 *
 *   node --import tsx bench/ci-plan.ts [runs=20] [oracleRuns=5]
 */
import { rm } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { listJsonCli, makeRepo } from "../packages/pipeline/bin/gitlab-ci-local-oracle.ts";
import { check, filesFromRecord } from "../packages/pipeline/src/index.ts";
import { predefinedForRules } from "../packages/pipeline/src/predefined.ts";

/** 150 build + 150 test (extends two levels, needs) + 150 deploy (rules) + 5 matrix jobs × 10 = 500. */
export function generateConfig(): string {
  const lines = [
    "stages: [build, test, deploy]",
    "variables:",
    "  GLOBAL: g",
    ".base:",
    "  image: node:20",
    "  before_script: [npm ci]",
    "  retry: 1",
    "  variables: { LEVEL: base }",
    "  rules:",
    '    - if: $CI_COMMIT_BRANCH == "main" || $CI_COMMIT_TAG',
    "    - if: $CI_COMMIT_BRANCH =~ /^feature\\//",
    "      when: manual",
    "    - when: on_success",
    ".test:",
    "  extends: .base",
    "  stage: test",
    "  variables: { LEVEL: test }",
  ];
  for (let i = 0; i < 150; i++)
    lines.push(`build-${i}:`, "  extends: .base", "  stage: build", `  script: make part-${i}`);
  for (let i = 0; i < 150; i++)
    lines.push(`test-${i}:`, "  extends: .test", `  script: make test-${i}`, `  needs: [build-${i}]`);
  for (let i = 0; i < 150; i++)
    lines.push(
      `deploy-${i}:`,
      "  stage: deploy",
      `  script: ./deploy ${i}`,
      "  rules:",
      `    - if: $CI_COMMIT_BRANCH == "main" && $GLOBAL == "g"`,
      "      when: manual",
      "      allow_failure: true",
      "    - when: never",
    );
  for (let i = 0; i < 5; i++)
    lines.push(
      `matrix-${i}:`,
      "  extends: .test",
      "  script: make matrix",
      "  parallel:",
      "    matrix:",
      "      - OS: [linux, mac]",
      "        NODE: [18, 20, 22, 23, 24]",
    );
  return `${lines.join("\n")}\n`;
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 20);
  const oracleRuns = Number(process.argv[3] ?? 5);
  const text = generateConfig();
  const files = filesFromRecord({ ".gitlab-ci.yml": text });
  const ctx = {
    ref: "main",
    source: "push",
    defaultBranch: "main",
    variables: predefinedForRules({ ref: "main", tag: false, source: "push", defaultBranch: "main" }),
    files,
  };
  const ours: number[] = [];
  let jobs = 0;
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const r = check(text, ctx, { files });
    const ms = performance.now() - t0;
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
    jobs = r.plan.jobs.length;
    if (i >= 2) ours.push(ms); // two warm-up runs
  }
  const dir = await makeRepo({ ".gitlab-ci.yml": text }, "main");
  const theirs: number[] = [];
  let theirJobs = 0;
  try {
    for (let i = 0; i < oracleRuns; i++) {
      const t0 = performance.now();
      theirJobs = (await listJsonCli(dir)).filter((r) => r.when !== "never").length;
      theirs.push(performance.now() - t0);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  ours.sort((a, b) => a - b);
  theirs.sort((a, b) => a - b);
  const fmt = (n: number): string => `${n.toFixed(1)} ms`;
  const p50 = quantile(ours, 0.5);
  const theirP50 = quantile(theirs, 0.5);
  process.stdout.write(
    [
      `config: ${text.length} bytes, ${jobs} planned jobs on main (gitlab-ci-local: ${theirJobs})`,
      `minilab parse+lint+plan   p50 ${fmt(p50)}  p95 ${fmt(quantile(ours, 0.95))}  (${runs} runs)`,
      `gitlab-ci-local --list-json p50 ${fmt(theirP50)}  p95 ${fmt(quantile(theirs, 0.95))}  (${oracleRuns} runs, CLI process incl. startup)`,
      `ratio (gitlab-ci-local / minilab, p50): ${(theirP50 / p50).toFixed(1)}x`,
      "",
    ].join("\n"),
  );
}

await main();
