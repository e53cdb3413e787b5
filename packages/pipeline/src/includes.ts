/**
 * `include:` — only `local` files (string, list, `{ local }`, wildcards) are supported; every other
 * include type is refused. Included files are deep-merged in order, then the including file wins.
 */
import { hasGlob, matchGlob, normalisePath } from "./glob.ts";
import { deepMerge, isObj, type Obj } from "./json.ts";
import type { Locate, Problems } from "./problems.ts";
import type { RepoFiles } from "./types.ts";
import { loadYaml } from "./yaml-load.ts";

/** GitLab's limit on included files per pipeline. */
export const MAX_INCLUDES = 150;
const MAX_DEPTH = 100;
const UNSUPPORTED = [
  "remote",
  "project",
  "template",
  "component",
  "artifact",
  "file",
  "ref",
  "inputs",
  "rules",
  "integrity",
  "cache",
];

export interface IncludeState {
  files: RepoFiles | undefined;
  problems: Problems;
  count: number;
  /** Locators of every loaded file, main file first. */
  locators: Locate[];
}

export function resolveIncludes(root: Obj, state: IncludeState, depth = 0): Obj {
  const raw = root["include"];
  if (raw === undefined) return root;
  const { include: _drop, ...rest } = root;
  let merged: Obj = {};
  for (const path of localPaths(raw, state)) {
    if (++state.count > MAX_INCLUDES) {
      state.problems.add("include", `Maximum of ${MAX_INCLUDES} nested includes are allowed!`, ["include"]);
      return rest;
    }
    if (depth >= MAX_DEPTH) {
      state.problems.add("include", `Nested includes are limited to ${MAX_DEPTH} levels`, ["include"]);
      return rest;
    }
    const text = state.files?.readFile(path) ?? null;
    if (text === null) {
      state.problems.add("include", `Local file \`${path}\` does not exist!`, ["include"]);
      continue;
    }
    const loaded = loadYaml(text, path);
    if (!loaded.ok) {
      state.problems.add(
        "include",
        `Local file \`${path}\` does not have valid YAML syntax: ${loaded.error}`,
        ["include"],
      );
      continue;
    }
    if (!isObj(loaded.value)) {
      if (loaded.value !== null && loaded.value !== undefined)
        state.problems.add("include", `Included file \`${path}\` does not have valid YAML syntax!`, [
          "include",
        ]);
      continue;
    }
    state.locators.push(loaded.locate);
    merged = deepMerge(merged, resolveIncludes(loaded.value, state, depth + 1));
  }
  return deepMerge(merged, rest);
}

/** The local paths an `include:` value names, wildcards expanded; unsupported forms reported. */
function localPaths(raw: unknown, state: IncludeState): string[] {
  const entries = Array.isArray(raw) ? raw.flat(3) : [raw];
  const out: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const at = ["include", i];
    let path: string | null = null;
    if (typeof entry === "string") {
      if (/^https?:\/\//.test(entry))
        state.problems.add("include", `include:remote config is not supported yet`, at);
      else path = entry;
    } else if (isObj(entry)) {
      const bad = Object.keys(entry).filter((k) => k !== "local");
      for (const key of bad)
        state.problems.add(
          "include",
          UNSUPPORTED.includes(key)
            ? `include:${key} config is not supported yet`
            : `include config contains unknown keys: ${key}`,
          at,
        );
      if (typeof entry["local"] === "string") path = entry["local"];
      else if (bad.length === 0)
        state.problems.add("include", "include config should be a string or a hash with local:", at);
    } else state.problems.add("include", "include config should be a hash, a string or an array", at);
    if (path === null) continue;
    if (!/\.ya?ml$/.test(path)) {
      state.problems.add("include", `Included file \`${path}\` does not have YAML extension!`, at);
      continue;
    }
    if (!hasGlob(path)) {
      out.push(normalisePath(path));
      continue;
    }
    const matches = (state.files?.listFiles() ?? []).filter((f) => matchGlob(path, f)).sort();
    out.push(...matches.map(normalisePath));
  }
  return out;
}
