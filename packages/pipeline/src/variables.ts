/** `variables:` blocks and `$VAR` / `${VAR}` expansion. */
import { isObj, isScalar } from "./json.ts";
import type { Problems } from "./problems.ts";
import type { Variable } from "./types.ts";

/**
 * `KEY: value` or `KEY: { value, description, expand, options }`; scalars are stringified as GitLab
 * does (`true` → "true", `1.0` → "1"). `where` is GitLab's path (`variables`, `jobs:build:variables`).
 */
export function readVariables(
  value: unknown,
  where: string,
  at: (string | number)[],
  problems: Problems,
): Variable[] {
  if (value === undefined || value === null) return [];
  if (!isObj(value)) {
    problems.add(where, `${where} config should be a hash of key value pairs`, at);
    return [];
  }
  const out: Variable[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (!/^[A-Za-z0-9_]+$/.test(key)) {
      problems.add(where, `${where} config contains invalid variable name: ${key}`, [...at, key]);
      continue;
    }
    if (isObj(v)) {
      const unknown = Object.keys(v).filter(
        (k) => !["value", "description", "expand", "options"].includes(k),
      );
      if (unknown.length > 0)
        problems.add(
          `${where}:${key}`,
          `${where}:${key} config contains unknown keys: ${unknown.join(", ")}`,
          [...at, key],
        );
      const raw = v["value"] ?? "";
      const expand = v["expand"] ?? true;
      if (!isScalar(raw) || typeof expand !== "boolean") {
        problems.add(where, `${where} config should be a hash of key value pairs, value can be a hash`, [
          ...at,
          key,
        ]);
        continue;
      }
      out.push({ key, value: String(raw), expand });
    } else if (isScalar(v) || v === null) out.push({ key, value: v === null ? "" : String(v), expand: true });
    else problems.add(where, `${where} config should be a hash of key value pairs`, [...at, key]);
  }
  return out;
}

/** Later lists win; a repeated key keeps its first position (as a Map would). */
export function mergeVariables(...lists: Variable[][]): Variable[] {
  const map = new Map<string, Variable>();
  for (const list of lists) for (const v of list) map.set(v.key, v);
  return [...map.values()];
}

/** Expands `$VAR`, `${VAR}` (and `$$` → `$`) using `vars`; unknown variables expand to "". */
export function expand(text: string, vars: Readonly<Record<string, string>>): string {
  if (!text.includes("$")) return text;
  return text.replace(
    /\$\$|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g,
    (_all, braced?: string, bare?: string) => {
      const name = braced ?? bare;
      if (name === undefined) return "$";
      return Object.hasOwn(vars, name) ? (vars[name] ?? "") : "";
    },
  );
}

/**
 * Resolves a variable list into name → value, expanding references to earlier-known values (one pass
 * over a base map, so cycles cannot loop). `expand: false` values are kept literally.
 */
export function resolveVariables(
  base: Readonly<Record<string, string>>,
  list: readonly Variable[],
): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const v of list) out[v.key] = v.expand ? expand(v.value, out) : v.value;
  return out;
}
