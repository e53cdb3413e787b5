/**
 * `only:` / `except:` (GitLab's older filter): refs (names, `/regex/`, keywords), `variables`,
 * `changes`. A job with neither (and no `rules`) behaves as `only: [branches, tags]`.
 */
import { evaluate, parseExpression, type Expr } from "./expression.ts";
import { matchGlob } from "./glob.ts";
import { isObj, stringOrList } from "./json.ts";
import type { Problems } from "./problems.ts";
import type { OnlyExcept } from "./types.ts";

export type { OnlyExcept } from "./types.ts";

const KEYS = ["refs", "variables", "changes", "kubernetes"];
/** Ref keywords → the pipeline sources they stand for. */
const SOURCE_KEYWORDS: Record<string, string> = {
  pushes: "push",
  web: "web",
  triggers: "trigger",
  schedules: "schedule",
  api: "api",
  external: "external",
  pipelines: "pipeline",
  chat: "chat",
  merge_requests: "merge_request_event",
  external_pull_requests: "external_pull_request_event",
};

export function readOnlyExcept(
  v: unknown,
  where: string,
  at: (string | number)[],
  problems: Problems,
): OnlyExcept | null {
  if (v === undefined || v === null) return null;
  const asRefs = stringOrList(v);
  if (asRefs) return { refs: asRefs, variables: null, changes: null };
  if (!isObj(v)) {
    problems.add(where, `${where} config should be an array of strings or a hash`, at);
    return null;
  }
  const unknown = Object.keys(v).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0)
    problems.add(where, `${where} config contains unknown keys: ${unknown.join(", ")}`, at);
  if (v["kubernetes"] !== undefined)
    problems.add(where, `${where}:kubernetes config is not supported yet`, at);
  const refs = v["refs"] === undefined ? null : stringOrList(v["refs"]);
  if (v["refs"] !== undefined && !refs)
    problems.add(`${where}:refs`, `${where}:refs config should be an array of strings`, at);
  let variables: Expr[] | null = null;
  if (v["variables"] !== undefined) {
    const texts = stringOrList(v["variables"]) ?? [];
    variables = [];
    for (const text of texts) {
      const expr = parseExpression(text);
      if (expr) variables.push(expr);
      else
        problems.add(
          `${where}:variables`,
          `${where}:variables config should be an array of valid expressions`,
          at,
        );
    }
  }
  const changes =
    v["changes"] === undefined
      ? null
      : stringOrList(isObj(v["changes"]) ? v["changes"]["paths"] : v["changes"]);
  if (v["changes"] !== undefined && !changes)
    problems.add(`${where}:changes`, `${where}:changes config should be an array of strings`, at);
  return { refs, variables, changes };
}

export interface FilterContext {
  ref: string;
  tag: boolean;
  source: string;
  vars: Readonly<Record<string, string>>;
  changedFiles: string[] | null;
}

/** Whether one ref pattern (`main`, `/^release/`, `branches`, `pushes` …) matches the pipeline. */
function refMatches(pattern: string, ctx: FilterContext): boolean {
  if (pattern === "branches") return !ctx.tag;
  if (pattern === "tags") return ctx.tag;
  const source = SOURCE_KEYWORDS[pattern];
  if (source !== undefined) return ctx.source === source;
  const re = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (re) {
    try {
      return new RegExp(re[1] ?? "", (re[2] ?? "").replace(/[^is]/g, "")).test(ctx.ref);
    } catch {
      return false;
    }
  }
  // `name@namespace/project` restricts to a project; this instance only plans its own project.
  const name = pattern.split("@")[0] ?? pattern;
  return name === ctx.ref;
}

/** True when every present clause matches: refs any, variables any, changes any. */
export function filterMatches(f: OnlyExcept, ctx: FilterContext): boolean {
  if (f.refs && !f.refs.some((r) => refMatches(r, ctx))) return false;
  if (f.variables && !f.variables.some((e) => evaluate(e, ctx.vars))) return false;
  if (f.changes && ctx.changedFiles !== null) {
    const changed = ctx.changedFiles;
    if (!f.changes.some((p) => changed.some((file) => matchGlob(p, file)))) return false;
  }
  return true;
}

/** GitLab's default when a job has no `rules`/`only`/`except`. */
export const DEFAULT_ONLY: OnlyExcept = { refs: ["branches", "tags"], variables: null, changes: null };

/** Whether `only`/`except` keep the job in this pipeline. */
export function onlyExceptKeeps(
  only: OnlyExcept | null,
  except: OnlyExcept | null,
  ctx: FilterContext,
): boolean {
  if (!filterMatches(only ?? DEFAULT_ONLY, ctx)) return false;
  return !(except && exceptMatches(except, ctx));
}

/** `except:` excludes when every present clause has a match (GitLab: one conjoined expression). */
function exceptMatches(f: OnlyExcept, ctx: FilterContext): boolean {
  if (!f.refs && !f.variables && !f.changes) return false;
  if (f.refs && !f.refs.some((r) => refMatches(r, ctx))) return false;
  if (f.variables && !f.variables.some((e) => evaluate(e, ctx.vars))) return false;
  if (f.changes && ctx.changedFiles !== null) {
    const changed = ctx.changedFiles;
    if (!f.changes.some((p) => changed.some((file) => matchGlob(p, file)))) return false;
  }
  return true;
}
