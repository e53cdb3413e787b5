/** Resolves `!reference [.job, key, …]` tags against the merged configuration (before `extends`). */
import { isObj, type Obj } from "./json.ts";
import type { Problems } from "./problems.ts";
import { Reference } from "./yaml-load.ts";

const MAX_NESTING = 10;

export function resolveReferences(root: Obj, problems: Problems): Obj {
  const walk = (value: unknown, depth: number, at: (string | number)[]): unknown => {
    if (value instanceof Reference) return deref(value, depth, at);
    if (Array.isArray(value)) return value.map((v, i) => walk(v, depth, [...at, i]));
    if (isObj(value)) {
      const out: Obj = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, depth, [...at, k]);
      return out;
    }
    return value;
  };
  const deref = (ref: Reference, depth: number, at: (string | number)[]): unknown => {
    const shown = `!reference ${JSON.stringify(ref.path)}`;
    if (depth >= MAX_NESTING) {
      problems.add(at.join(":"), `${shown} is part of a circular chain or nested too deep`, at);
      return null;
    }
    let node: unknown = root;
    for (const key of ref.path) {
      node = isObj(node) && typeof key === "string" ? node[key] : undefined;
    }
    if (node === undefined || ref.path.length === 0) {
      problems.add(at.join(":"), `${shown} could not be found`, at);
      return null;
    }
    return walk(node, depth + 1, at);
  };
  return walk(root, 0, []) as Obj;
}
