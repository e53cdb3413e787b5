/** Evaluates `rules:` (job and workflow): the first rule whose clauses all match decides. */
import { evaluate } from "./expression.ts";
import { matchGlob } from "./glob.ts";
import type { Rule } from "./rules-read.ts";
import type { RepoFiles } from "./types.ts";

export interface RuleContext {
  vars: Readonly<Record<string, string>>;
  /** null = unknown (new branch, web/api pipeline): `changes` is true, as GitLab. */
  changedFiles: string[] | null;
  /** `compare_to` ref → changed files (see PlanContext.compareToChanges). */
  compareToChanges?: Readonly<Record<string, string[]>> | undefined;
  files: RepoFiles | undefined;
}

export function firstMatchingRule(rules: readonly Rule[], ctx: RuleContext): Rule | null {
  return rules.find((rule) => ruleMatches(rule, ctx)) ?? null;
}

function ruleMatches(rule: Rule, ctx: RuleContext): boolean {
  if (rule.expr && !evaluate(rule.expr, ctx.vars)) return false;
  if (rule.exists && !existsMatches(rule.exists, ctx)) return false;
  if (rule.changes && !changesMatch(rule.changes, ctx)) return false;
  return true;
}

function existsMatches(patterns: string[], ctx: RuleContext): boolean {
  if (!ctx.files) return false;
  const files = ctx.files.listFiles();
  return patterns.some((p) => files.some((f) => matchGlob(expandPath(p, ctx), f)));
}

function changesMatch(changes: NonNullable<Rule["changes"]>, ctx: RuleContext): boolean {
  // With `compare_to`, the caller diffs against that ref (also for new branches); without its diff
  // (e.g. the CLI) the changes are unknown → true, as GitLab does when it cannot tell.
  const changed =
    changes.compareTo !== null ? (ctx.compareToChanges?.[changes.compareTo] ?? null) : ctx.changedFiles;
  if (changed === null) return true;
  return changes.paths.some((p) => changed.some((f) => matchGlob(expandPath(p, ctx), f)));
}

/** `exists`/`changes` paths may use variables (`$DIR/**`). */
const expandPath = (p: string, ctx: RuleContext): string =>
  p.replace(/\$\{?([A-Za-z0-9_]+)\}?/g, (_m, name: string) => ctx.vars[name] ?? "");
