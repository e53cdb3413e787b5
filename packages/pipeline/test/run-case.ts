/**
 * Runs one fixture folder through the engine the way `ci:plan` does, per ref. Refs named `tag:<name>`
 * plan a tag pipeline. Shared by the fixture test and the differential test.
 */
import { check, filesFromRecord, formatProblem } from "../src/index.ts";
import { predefinedForRules } from "../src/predefined.ts";

export type PlanRow = {
  name: string;
  stage: string;
  when: string;
  allow_failure: boolean;
  needs: string[] | null;
};
/** Plans per ref (`vars` = pipeline variables, as `ci:plan --var`), or the problems on `main`. */
export type Expected =
  { refs: Record<string, PlanRow[]>; vars?: Record<string, string> } | { problems: string[] };

export function planFor(
  files: Record<string, string>,
  ref: string,
  vars: Record<string, string> = {},
): { ok: true; rows: PlanRow[] } | { ok: false; problems: string[] } {
  const repo = filesFromRecord(files);
  const tag = ref.startsWith("tag:");
  const name = tag ? ref.slice(4) : ref;
  const result = check(
    files[".gitlab-ci.yml"] ?? "",
    {
      ref: name,
      tag,
      source: "push",
      defaultBranch: "main",
      variables: predefinedForRules({ ref: name, tag, source: "push", defaultBranch: "main" }),
      pipelineVariables: vars,
      changedFiles: null,
      files: repo,
    },
    { files: repo },
  );
  if (!result.ok) return { ok: false, problems: result.problems.map(formatProblem) };
  return {
    ok: true,
    rows: result.plan.jobs.map((j) => ({
      name: j.name,
      stage: j.stage,
      when: j.when,
      allow_failure: j.allowFailure,
      needs: j.needs === null ? null : j.needs.map((n) => n.name),
    })),
  };
}

export function runCase(files: Record<string, string>, expected: Expected): Expected {
  if ("problems" in expected) {
    const r = planFor(files, "main");
    return r.ok ? { refs: { main: r.rows } } : { problems: r.problems };
  }
  const refs: Record<string, PlanRow[] | string[]> = {};
  for (const ref of Object.keys(expected.refs)) {
    const r = planFor(files, ref, expected.vars);
    refs[ref] = r.ok ? r.rows : r.problems;
  }
  return (expected.vars ? { refs, vars: expected.vars } : { refs }) as Expected;
}
