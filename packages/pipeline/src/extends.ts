/**
 * `extends:` — a job inherits from one or more (hidden or visible) jobs, multi-level, with GitLab's
 * deep merge: hashes merge, arrays and scalars are replaced; later bases and the job itself win.
 */
import { deepMerge, isObj, stringOrList, type Obj } from "./json.ts";
import type { Problems } from "./problems.ts";

/** GitLab's limit on `extends` inheritance depth. */
const MAX_DEPTH = 11;

export function resolveExtends(root: Obj, isJobKey: (key: string) => boolean, problems: Problems): Obj {
  const done = new Map<string, Obj>();
  const visiting = new Set<string>();
  const resolve = (name: string, depth: number): Obj | null => {
    const hit = done.get(name);
    if (hit) return hit;
    const job = root[name];
    if (!isObj(job)) return null;
    if (job["extends"] === undefined) return job;
    if (visiting.has(name)) {
      problems.add(`jobs:${name}`, `${name}: circular dependency detected in \`extends\``, [name, "extends"]);
      return null;
    }
    if (depth > MAX_DEPTH) {
      problems.add(`jobs:${name}`, `${name}: nesting too deep in \`extends\``, [name, "extends"]);
      return null;
    }
    const bases = stringOrList(job["extends"]);
    if (!bases) {
      problems.add(
        `jobs:${name}:extends`,
        `jobs:${name}:extends config should be a string or an array of strings`,
        [name, "extends"],
      );
      return null;
    }
    visiting.add(name);
    let merged: Obj = {};
    for (const base of bases) {
      if (!isObj(root[base])) {
        problems.add(`jobs:${name}`, `${name}: unknown keys in \`extends\` (${base})`, [name, "extends"]);
        continue;
      }
      const resolved = resolve(base, depth + 1);
      if (resolved) merged = deepMerge(merged, resolved);
    }
    visiting.delete(name);
    const { extends: _drop, ...own } = job;
    const out = deepMerge(merged, own);
    done.set(name, out);
    return out;
  };
  const out: Obj = {};
  for (const [key, value] of Object.entries(root)) {
    out[key] =
      isJobKey(key) && isObj(value) && value["extends"] !== undefined ? (resolve(key, 0) ?? value) : value;
  }
  return out;
}
