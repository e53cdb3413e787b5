/** Reads `rules:` (job and workflow) into plain data; evaluation lives in rules-eval.ts. */
import { parseExpression, type Expr } from "./expression.ts";

export type { Rule } from "./types.ts";
import { isObj, stringOrList } from "./json.ts";
import { readNeeds } from "./needs-read.ts";
import type { Problems } from "./problems.ts";
import type { Rule, When } from "./types.ts";
import { readVariables } from "./variables.ts";

const JOB_RULE_KEYS = ["if", "exists", "changes", "when", "allow_failure", "variables", "needs", "start_in"];
const WORKFLOW_RULE_KEYS = ["if", "exists", "changes", "when", "variables", "auto_cancel"];
const RULE_WHEN: When[] = ["on_success", "on_failure", "always", "manual", "delayed", "never"];

export function readRules(
  value: unknown,
  where: string,
  at: (string | number)[],
  problems: Problems,
  workflow = false,
): Rule[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) {
    problems.add(where, `${where} config should be an array of hashes`, at);
    return null;
  }
  const out: Rule[] = [];
  const allowed = workflow ? WORKFLOW_RULE_KEYS : JOB_RULE_KEYS;
  // Nested arrays (from `!reference` of a rules list) are flattened, as GitLab does.
  for (const [i, raw] of value.flat(3).entries()) {
    const rw = `${where}:rule`;
    const loc = [...at, i];
    if (!isObj(raw)) {
      problems.add(rw, `${rw} config should be a hash`, loc);
      continue;
    }
    const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
    if (unknown.length > 0)
      problems.add(rw, `${rw} config contains unknown keys: ${unknown.join(", ")}`, loc);
    if (raw["auto_cancel"] !== undefined)
      problems.add(rw, `${rw}:auto_cancel config is not supported yet`, loc);
    const rule = readRule(raw, rw, loc, problems);
    if (rule) out.push(rule);
  }
  return out;
}

function readRule(
  raw: Record<string, unknown>,
  rw: string,
  loc: (string | number)[],
  problems: Problems,
): Rule | null {
  const before = problems.count;
  let expr: Expr | null = null;
  const ifText = raw["if"];
  if (ifText !== undefined) {
    if (typeof ifText !== "string") problems.add(rw, `${rw} if should be a string`, [...loc, "if"]);
    else if (!(expr = parseExpression(ifText)))
      problems.add(rw, `${rw} if invalid expression syntax`, [...loc, "if"]);
  }
  const exists = readPaths(raw["exists"], `${rw} exists`, [...loc, "exists"], problems);
  let changes: Rule["changes"] = null;
  const rc = raw["changes"];
  if (isObj(rc)) {
    const paths = readPaths(rc["paths"], `${rw} changes paths`, [...loc, "changes"], problems) ?? [];
    const compareTo = rc["compare_to"];
    if (compareTo !== undefined && typeof compareTo !== "string")
      problems.add(rw, `${rw} changes compare_to should be a string`, [...loc, "changes"]);
    changes = { paths, compareTo: typeof compareTo === "string" ? compareTo : null };
  } else if (rc !== undefined) {
    const paths = readPaths(rc, `${rw} changes`, [...loc, "changes"], problems);
    if (paths) changes = { paths, compareTo: null };
  }
  const when = raw["when"];
  if (when !== undefined && !RULE_WHEN.includes(when as When))
    problems.add(rw, `${rw} when unknown value: ${typeof when === "string" ? when : JSON.stringify(when)}`, [
      ...loc,
      "when",
    ]);
  const allowFailure = readAllowFailure(
    raw["allow_failure"],
    `${rw} allow_failure`,
    [...loc, "allow_failure"],
    problems,
  );
  const startIn = raw["start_in"];
  if (when === "delayed" && typeof startIn !== "string")
    problems.add(rw, `${rw} start_in should be a duration when when: delayed`, loc);
  const variables = readVariables(raw["variables"], `${rw}:variables`, [...loc, "variables"], problems);
  const needs =
    raw["needs"] === undefined ? null : readNeeds(raw["needs"], `${rw}:needs`, [...loc, "needs"], problems);
  if (problems.count !== before) return null;
  return {
    if: typeof ifText === "string" ? ifText : null,
    expr,
    exists,
    changes,
    when: (when as When | undefined) ?? null,
    allowFailure,
    startIn: typeof startIn === "string" ? startIn : null,
    variables,
    needs,
  };
}

/** `exists:`/`changes:` — a path list, a single path, or `{ paths: [...] }`. */
function readPaths(v: unknown, where: string, at: (string | number)[], problems: Problems): string[] | null {
  if (v === undefined) return null;
  const list = isObj(v) ? stringOrList(v["paths"]) : stringOrList(v);
  if (list === null) {
    problems.add(where, `${where} should be an array of strings`, at);
    return null;
  }
  if (list.length > 50) problems.add(where, `${where} has too many entries (maximum 50)`, at);
  return list;
}

export function readAllowFailure(
  v: unknown,
  where: string,
  at: (string | number)[],
  problems: Problems,
): { allowed: boolean; exitCodes: number[] } | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return { allowed: v, exitCodes: [] };
  if (isObj(v)) {
    const codes = v["exit_codes"];
    const list = typeof codes === "number" ? [codes] : codes;
    if (
      Array.isArray(list) &&
      list.every((c) => Number.isInteger(c)) &&
      Object.keys(v).every((k) => k === "exit_codes")
    )
      return { allowed: true, exitCodes: list as number[] };
  }
  problems.add(where, `${where} config should be a boolean value or a hash with exit_codes`, at);
  return null;
}
