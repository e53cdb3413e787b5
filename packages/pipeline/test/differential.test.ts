/**
 * Differential test: every positive fixture, every ref, planned by this engine and by gitlab-ci-local
 * 4.60.0 (`--list-json`), must agree on name, stage, when, allow_failure and needs — except where
 * GitLab's documented behaviour differs from gitlab-ci-local (GitLab wins; see KNOWN_DIFFERENCES).
 */
import { describe, expect, it } from "vitest";
import { oracle, type OracleRow } from "../bin/gitlab-ci-local-oracle.ts";
import { filesFromRecord, parse } from "../src/index.ts";
import { loadFixtures } from "./fixtures.ts";
import { planFor, type PlanRow } from "./run-case.ts";

/**
 * Places where gitlab-ci-local differs from GitLab's documented behaviour; the comparison normalises
 * them (GitLab wins):
 * 1. `parallel: N` instances are `job 1/N` in GitLab, `job: [1/N]` in gitlab-ci-local.
 * 2. Matrix instance names are `job: [a, b]` in GitLab, `job: [a,b]` in gitlab-ci-local.
 * 3. A job-level `when: manual` defaults to `allow_failure: true` in GitLab; gitlab-ci-local says false.
 * 4. gitlab-ci-local lists `needs` by base job name; we list the instances of a parallel job.
 * 5. gitlab-ci-local lists excluded jobs with `when: never`; we leave them out (compared without them).
 * 6. A pipeline whose jobs are all in `.pre`/`.post` is not created by GitLab; gitlab-ci-local lists them.
 * 7. gitlab-ci-local keeps an optional need on a job that is not in the pipeline; GitLab drops it.
 * 8. gitlab-ci-local has no tag pipelines (it plans the checked-out branch), so `tag:` refs are skipped.
 * 9. gitlab-ci-local prints `allow_failure: { exit_codes }` as written; that is `true` (with codes).
 * SKIP lists fixtures where gitlab-ci-local does not implement what GitLab documents.
 */
const SKIP: Record<string, string> = {
  "only-branch-names": "gitlab-ci-local does not evaluate only/except refs",
  "only-branches-tags-keywords": "gitlab-ci-local does not evaluate only/except refs",
  "only-refs-object": "gitlab-ci-local does not evaluate only/except",
  "only-regex": "gitlab-ci-local does not evaluate only/except refs",
  "only-source-keywords": "gitlab-ci-local does not evaluate only/except refs",
  "only-variables-only": "gitlab-ci-local does not evaluate only:variables",
  "except-variables": "gitlab-ci-local does not evaluate except:variables",
  "rules-changes-unknown-true":
    "GitLab evaluates `changes` to true when the changed files are unknown (new branch); gitlab-ci-local diffs against origin",
  "rules-needs-override": "gitlab-ci-local ignores rules:needs (GitLab 16+)",
  "workflow-variables": "gitlab-ci-local does not expose workflow:rules:variables to job rules",
  "legacy-types-keyword": "gitlab-ci-local does not implement the deprecated `types:`",
  "legacy-type-job-key": "gitlab-ci-local does not implement the deprecated job `type:`",
  "workflow-rules-branch": "gitlab-ci-local --list-json does not apply workflow:rules",
  "workflow-when-never": "gitlab-ci-local --list-json does not apply workflow:rules",
  "variables-expand-refs":
    "GitLab expands variable references inside variables before rules:if; gitlab-ci-local does not",
};

type Row = { name: string; stage: string; when: string; allow_failure: boolean; needs: string[] | null };

const norm = (name: string): string =>
  name
    .replace(/: \[(\d+)\/(\d+)\]$/, " $1/$2")
    .replace(/: \[(.*)\]$/s, (_m, v: string) => `: [${v.split(/,\s*/).join(", ")}]`);
const base = (name: string): string => name.replace(/ \d+\/\d+$/, "").replace(/: \[.*\]$/s, "");

function theirs(rows: OracleRow[], manualJobs: Set<string>): Row[] {
  const kept = rows.filter((r) => r.when !== "never");
  if (kept.every((r) => r.stage === ".pre" || r.stage === ".post")) return [];
  const present = new Set(kept.map((r) => base(norm(r.name))));
  return kept.map((r) => ({
    name: norm(r.name),
    stage: r.stage,
    when: r.when,
    allow_failure: r.allow_failure !== false || manualJobs.has(base(norm(r.name))),
    needs: r.needs
      ? [...new Set(r.needs.filter((n) => !n.optional || present.has(n.job)).map((n) => n.job))].sort()
      : null,
  }));
}

function ours(rows: PlanRow[]): Row[] {
  return rows.map((r) => ({ ...r, needs: r.needs ? [...new Set(r.needs.map(base))].sort() : null }));
}

/** Jobs with a job-level `when: manual`, no `allow_failure` and no `rules` (difference 3). */
function jobLevelManual(files: Record<string, string>): Set<string> {
  const { config } = parse(files[".gitlab-ci.yml"] ?? "", { files: filesFromRecord(files) });
  const jobs = config?.jobs ?? [];
  return new Set(
    jobs.filter((j) => j.when === "manual" && j.allowFailure === null && !j.rules).map((j) => j.name),
  );
}

const tasks = loadFixtures().flatMap((f) =>
  "refs" in f.expected && !SKIP[f.name]
    ? Object.keys(f.expected.refs)
        .filter((ref) => !ref.startsWith("tag:"))
        .map((ref) => ({ fixture: f, ref }))
    : [],
);

/** Runs the oracle 4 at a time, once for all cases, before the per-case assertions. */
async function runAll(): Promise<Map<string, OracleRow[] | Error>> {
  const out = new Map<string, OracleRow[] | Error>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const t = tasks[next++];
      if (!t) return;
      const key = `${t.fixture.name}@${t.ref}`;
      out.set(
        key,
        await oracle(
          t.fixture.files,
          t.ref,
          "vars" in t.fixture.expected ? t.fixture.expected.vars : {},
        ).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
      );
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

let all: Promise<Map<string, OracleRow[] | Error>> | null = null;

describe("differential vs gitlab-ci-local 4.60.0", () => {
  it.each(tasks.map((t) => [`${t.fixture.name}@${t.ref}`, t] as const))(
    "%s",
    async (key, { fixture, ref }) => {
      all ??= runAll();
      const got = (await all).get(key);
      if (got instanceof Error) throw got;
      const mine = planFor(
        fixture.files,
        ref,
        "vars" in fixture.expected ? fixture.expected.vars : undefined,
      );
      if (!mine.ok) throw new Error(mine.problems.join("\n"));
      const manual = jobLevelManual(fixture.files);
      const sort = (rows: Row[]): Row[] => [...rows].sort((a, b) => a.name.localeCompare(b.name));
      expect(sort(ours(mine.rows))).toEqual(sort(theirs(got ?? [], manual)));
    },
    180_000,
  );
});
